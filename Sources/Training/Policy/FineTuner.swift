import ARDM
import Corpus
import Foundation
import Guidance
import NN
import Rewards

/// A model trained during fine-tuning, with its optimiser and training buffers.
final class TrainedModel {
    let name: String
    let model: ARDM
    var optimizer = AdamW()
    let workspace: ARDMTrainingWorkspace
    /// What its model file records (companions are saved as `<run>/<name>/`).
    var provenance: [String: String] = [:]

    convenience init(name: String, model: ARDM, sequences: Int, maxPositions: Int, pointsPerSequence K: Int) {
        self.init(name: name, model: model, workspace: ARDMTrainingWorkspace(model: model, maxB: sequences, maxT: maxPositions,
                                                                             timesPerToken: K, headRows: sequences * K))
    }

    /// A model that runs its steps in another's buffers (the models of one iteration take turns).
    init(name: String, model: ARDM, workspace: ARDMTrainingWorkspace) {
        self.name = name; self.model = model; self.workspace = workspace
    }

    /// One optimiser step from the gradients the closure accumulates; returns its result.
    func step<R>(lr: Float, clip: Float, _ accumulate: () throws -> R) rethrows -> R {
        model.params.zeroGrads()
        let result = try accumulate()
        clipGradientNorm(model.params, maxNorm: clip)
        optimizer.update(model.params, lr: lr)
        return result
    }
}

/// The method-specific part of a fine-tuning iteration (VGPO or DPO).
protocol FineTuneMethod: AnyObject {
    var name: String { get }
    /// Models the method trains besides the policy, checkpointed with it.
    var companions: [TrainedModel] { get }
    /// Updates the policy (and the companions) from this iteration's rollouts; returns what to log.
    func update(_ groups: [RolloutGroup], policy: TrainedModel, lr: Float, rng: inout RNG) throws -> [String: Double]
    /// What the policy's model file records about the method.
    var provenance: [String: String] { get }
    /// The log entry the progress line shows next to the reward, and its label there.
    var progressField: (label: String, key: String) { get }
    /// Whether the update reads the rollouts' per-token likelihood shares.
    var needsTokenShares: Bool { get }
}

extension FineTuneMethod {
    var needsTokenShares: Bool { false }
}

/// The loop VGPO (Algorithm 3) and the DPO baseline share: each iteration samples rollouts of
/// the current policy for random prompts (LM guidance on), scores them, and hands them to the
/// method's update; evaluation every few iterations, a JSONL log, and checkpoints that resume
/// to the bit. The run folder holds `checkpoints/<model>/` (the policy's `latest.json` is
/// written last and decides the resume point), `model/` (the policy, fp16, loadable by the
/// server and `eval`), `log.jsonl`.
public final class FineTuner {
    public struct State: Codable, Sendable {
        public var iteration: Int
        public var rng: RNG
        public var optimizerSteps: [String: Int]
        public var trainingSeconds: Double
    }

    public let config: FineTuneConfig
    let policy: TrainedModel
    let reference: ARDM
    let method: FineTuneMethod
    let rollouts: OnPolicyRollouts
    let evaluator: PolicyEvaluator
    public private(set) var state: State
    let runDirectory: URL
    let log: JSONLLog
    /// Iterations whose evaluation the log already holds: a resumed run does not repeat them
    /// (sampling at evaluation is seeded, so it would log the same numbers again).
    private var evaluatedIterations: Set<Int>

    public enum Method: String, Sendable { case vgpo, dpo }

    public init(config: FineTuneConfig, method kind: Method) throws {
        self.config = config
        runDirectory = URL(fileURLWithPath: config.run)
        try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
        let (reference, _) = try ARDM.load(from: URL(fileURLWithPath: config.base))
        let (policyModel, _) = try ARDM.load(from: URL(fileURLWithPath: config.base))
        self.reference = reference
        let sequences = config.promptsPerIteration * config.rolloutsPerPrompt
        policy = TrainedModel(name: "policy", model: policyModel, sequences: 2 * sequences, maxPositions: config.maxPositions,
                              pointsPerSequence: config.pointsPerSequence)
        let store = try CorpusStore(path: config.corpus)
        let catalog = RewardCatalog(ctcModel: URL(fileURLWithPath: config.evaluation.ctc),
                                    speakerModel: URL(fileURLWithPath: config.evaluation.speaker))
        let reward = try catalog.make([config.reward])[0]
        rollouts = try OnPolicyRollouts(model: policyModel, store: store, reward: reward, batch: min(sequences, 16),
                                        maxPositions: config.maxPositions)
        evaluator = try PolicyEvaluator(config: config.evaluation, store: store, policy: policyModel,
                                        pointsPerSequence: config.pointsPerSequence)
        switch kind {
        case .vgpo:
            guard let settings = config.vgpo else { throw TrainingError.badConfig(path: config.run, reason: "the recipe has no \"vgpo\" section") }
            method = try VGPOMethod(settings: settings, config: config, reference: reference, store: store, reward: reward,
                                    sharing: policy.workspace)
        case .dpo:
            guard let settings = config.dpo else { throw TrainingError.badConfig(path: config.run, reason: "the recipe has no \"dpo\" section") }
            method = DPOMethod(beta: settings.beta, reference: reference, direction: reward.direction,
                               pointsPerSequence: config.pointsPerSequence, gradClip: config.gradClip)
        }
        rollouts.tokenShares = method.needsTokenShares
        let logPath = runDirectory.appendingPathComponent("log.jsonl")
        log = try JSONLLog(path: logPath)
        evaluatedIterations = Set(try JSONLLog.evaluations(in: logPath).keys.map { Int($0) })
        state = State(iteration: 0, rng: RNG(seed: config.seed), optimizerSteps: [:], trainingSeconds: 0)
        if let resumed = try TrainingCheckpoint.loadLatest(policy.model.params, from: checkpoints(policy), as: State.self) {
            state = resumed
            policy.optimizer.step = resumed.optimizerSteps[policy.name] ?? 0
            for companion in method.companions {
                _ = try TrainingCheckpoint.load(companion.model.params, from: checkpoints(companion), step: resumed.iteration, as: State.self)
                companion.optimizer.step = resumed.optimizerSteps[companion.name] ?? 0
            }
        }
    }

    func checkpoints(_ trained: TrainedModel) -> URL {
        runDirectory.appendingPathComponent("checkpoints").appendingPathComponent(trained.name)
    }

    public var modelDirectory: URL { runDirectory.appendingPathComponent("model") }
    var options: SamplingOptions { SamplingOptions(cfg: config.cfg) }

    /// Runs until `config.iterations` (or `stopAfter` in total); returns each iteration's log
    /// entry. Evaluates every `evaluation.every` iterations, the stop point included, unless the
    /// log already has that iteration's evaluation. Without `evaluations` (benchmarks) none runs.
    @discardableResult
    public func run(stopAfter: Int? = nil, progress: Bool = true, evaluations: Bool = true) throws -> [[String: Double]] {
        let last = min(config.iterations, stopAfter ?? config.iterations)
        let bar = ProgressLine(total: last, startingAt: state.iteration, interval: 10)
        var history: [[String: Double]] = []
        func evaluateIfDue() throws {
            guard evaluations && state.iteration % config.evaluation.every == 0,
                  !evaluatedIterations.contains(state.iteration) else { return }
            try evaluate()
        }
        while state.iteration < last {
            try evaluateIfDue()
            let t0 = Date()
            let groups = try rollouts.sample(prompts: config.promptsPerIteration, perPrompt: config.rolloutsPerPrompt,
                                             options: options, rng: &state.rng)
            let sampled = Date()
            let lr = config.schedule.rate(at: state.iteration)
            var entry = try method.update(groups, policy: policy, lr: lr, rng: &state.rng)
            let rewards = groups.flatMap(\.rewards), stops = groups.flatMap(\.stopped)
            let mean = rewards.reduce(0, +) / Double(rewards.count)
            entry["reward"] = mean
            entry["reward_std"] = (rewards.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(rewards.count)).squareRoot()
            entry["stopped"] = Double(stops.filter { $0 }.count) / Double(stops.count)
            entry["lr"] = Double(lr)
            entry["sampling_seconds"] = sampled.timeIntervalSince(t0)
            entry["seconds"] = Date().timeIntervalSince(t0)
            state.iteration += 1
            state.trainingSeconds += entry["seconds"]!
            entry["iteration"] = Double(state.iteration)
            history.append(entry)
            log.write(entry)
            if progress {
                let field = method.progressField
                bar.update(state.iteration, String(format: "%@ reward %.3f %@ %.4f", method.name, mean, field.label, entry[field.key] ?? .nan))
            }
            if state.iteration % config.checkpointEvery == 0 || state.iteration == last { try saveCheckpoint() }
        }
        try evaluateIfDue()
        if progress { bar.finish() }
        return history
    }

    /// The evaluation entry of the current iteration, logged with `"eval": 1`.
    @discardableResult
    public func evaluate() throws -> [String: Double] {
        var metrics = try evaluator.evaluate(reference: reference, options: options)
        metrics["iteration"] = Double(state.iteration)
        metrics["eval"] = 1
        log.write(metrics)
        evaluatedIterations.insert(state.iteration)
        FileHandle.standardError.write(Data(("evaluation at iteration \(state.iteration): " + metrics.keys.sorted()
            .filter { $0 != "eval" && $0 != "iteration" }.map { String(format: "%@ %.4f", $0, metrics[$0]!) }
            .joined(separator: ", ") + "\n").utf8))
        return metrics
    }

    /// Companions first, the policy last (its `latest.json` commits the checkpoint), then the
    /// policy and the companions as model folders.
    public func saveCheckpoint() throws {
        state.optimizerSteps[policy.name] = policy.optimizer.step
        for companion in method.companions { state.optimizerSteps[companion.name] = companion.optimizer.step }
        for trained in method.companions + [policy] {
            try TrainingCheckpoint.save(trained.model.params, state: state, step: state.iteration, to: checkpoints(trained))
        }
        var provenance = method.provenance
        provenance["kind"] = method.name
        provenance["base"] = config.base
        provenance["corpus"] = config.corpus
        provenance["reward"] = config.reward.rawValue
        provenance["iteration"] = "\(state.iteration)"
        provenance["seed"] = "\(config.seed)"
        try policy.model.save(to: modelDirectory, dtype: .f16, provenance: provenance)
        for companion in method.companions {
            var recorded = companion.provenance
            recorded["iteration"] = "\(state.iteration)"
            try companion.model.save(to: runDirectory.appendingPathComponent(companion.name), dtype: .f32, provenance: recorded)
        }
    }
}
