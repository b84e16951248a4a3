import ARDM
import Corpus
import Foundation
import NN
import Rewards

/// Trajectories with rewards, drawn at random: corpus audio or base-model rollouts.
public protocol TrajectorySource: AnyObject {
    /// Raw rewards of every trajectory (for the normalisation and the report).
    var rewards: [Double] { get }
    /// The raw targets the normalisation is fitted to (the rewards unless the trajectories
    /// carry a target per token).
    var targetSample: [Double] { get }
    func randomTrajectory(_ rng: inout RNG, normalization: RewardNormalization) -> ValueExample
    /// A batch of whole groups (only rollouts have groups; the recipe check keeps others out).
    func randomGroups(_ size: Int, _ rng: inout RNG, normalization: RewardNormalization) -> [ValueExample]
    /// The fixed validation set: `count` batches.
    func validationBatches(_ count: Int, batchSize: Int, rng: inout RNG, normalization: RewardNormalization) -> [[ValueExample]]
}

extension TrajectorySource {
    public var targetSample: [Double] { rewards }

    public func randomGroups(_ size: Int, _ rng: inout RNG, normalization: RewardNormalization) -> [ValueExample] {
        preconditionFailure("\(Self.self) has no groups")
    }

    /// Random trajectories.
    public func validationBatches(_ count: Int, batchSize: Int, rng: inout RNG, normalization: RewardNormalization) -> [[ValueExample]] {
        (0..<count).map { _ in (0..<batchSize).map { _ in randomTrajectory(&rng, normalization: normalization) } }
    }
}

extension CorpusTrajectories: TrajectorySource {}

/// Value training (Algorithm 1): a value model initialised from the base model learns, at
/// random (n, t) points of rewarded trajectories, to predict the normalised reward, with the
/// plain MSE or the soft exp-MSE surrogate. Resumable to the bit like pre-training: the run
/// folder holds `checkpoints/` (weights, AdamW moments, state with the RNG stream),
/// `model/` (the latest value model, loadable by guidance) and `log.jsonl`.
public final class ValueTrainer: @unchecked Sendable {
    public let config: ValueTrainConfig
    public let model: ARDM
    public let normalization: RewardNormalization
    let train: TrajectorySource
    let validation: [[ValueExample]]
    let workspace: ARDMTrainingWorkspace
    public private(set) var state: Pretrainer.RunState
    var optimizer = AdamW()
    let runDirectory: URL
    let log: JSONLLog

    /// Resumes from the run's newest checkpoint, or from `checkpoint` (a step still kept in the
    /// run) when given: evaluating an earlier checkpoint needs no copy of the run.
    public init(config: ValueTrainConfig, checkpoint: Int? = nil, rewards: RewardCatalog = RewardCatalog()) throws {
        self.config = config
        let runDirectory = URL(fileURLWithPath: config.run)
        self.runDirectory = runDirectory
        try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
        guard !(config.fromCorpus && (config.groupBatches ?? false)) else {
            throw TrainingError.badConfig(path: config.run, reason: "group_batches needs rollouts; corpus trajectories have no groups")
        }
        guard !(config.leaveOneOutBaseline ?? false) || (!config.fromCorpus && !config.normalizesGroups) else {
            throw TrainingError.badConfig(path: config.run,
                                          reason: "leave_one_out_baseline needs rollouts with \"group_normalization\": false")
        }
        if let horizon = config.shareHorizon, config.fromCorpus || horizon < 1 || (config.shareLookback ?? 0) < 0 {
            throw TrainingError.badConfig(path: config.run, reason: "share_horizon needs rollouts, at least 1 token and no negative share_lookback")
        }
        if config.shareLookback != nil && config.shareHorizon == nil {
            throw TrainingError.badConfig(path: config.run, reason: "share_lookback widens share_horizon's window: give both")
        }
        let (base, _) = try ARDM.load(from: URL(fileURLWithPath: config.base))
        let model = base.makeValueModel()
        self.model = model
        let store = try CorpusStore(path: config.corpus)
        let held: TrajectorySource
        if config.fromCorpus {
            let reward = try rewards.make([config.reward])[0]
            guard !reward.requiredInputs.contains(.promptAudio) else {
                throw TrainingError.badConfig(path: config.run, reason: "\(config.reward.rawValue) needs a prompt; corpus trajectories have none")
            }
            func source(_ split: CorpusSplit) throws -> CorpusTrajectories {
                try CorpusTrajectories(store: store, split: split, model: model, reward: reward, maxPositions: config.maxPositions,
                                       cache: runDirectory.appendingPathComponent("rewards-\(split.rawValue).json"))
            }
            train = try source(.train)
            held = try source(.validation)
        } else {
            let rollouts = try RolloutSet.load(from: URL(fileURLWithPath: config.trajectories))
            guard rollouts.reward == config.reward else {
                throw TrainingError.badConfig(path: config.trajectories, reason: "rollouts are rewarded by \(rollouts.reward.rawValue), the recipe asks for \(config.reward.rawValue)")
            }
            if config.shareHorizon != nil && rollouts.header.tokenShares != true {
                throw TrainingError.badConfig(path: config.trajectories, reason: "share_horizon needs rollouts with token shares (vgpo-train rollouts --rescore … --token-shares)")
            }
            (train, held) = try rollouts.trajectories(store: store, model: model, maxPositions: config.maxPositions,
                                                      targets: config.groupTargets, shareHorizon: config.shareHorizon,
                                                      shareLookback: config.shareLookback ?? 0)
        }
        guard !train.rewards.isEmpty else { throw TrainingError.noData("no trajectories in \(config.trajectories)") }
        let normalization = RewardNormalization(rewards: train.targetSample)
        self.normalization = normalization
        var validationRNG = RNG(seed: config.seed &+ 1)
        validation = held.rewards.isEmpty ? []
            : held.validationBatches(config.validationBatches, batchSize: config.batchSize, rng: &validationRNG, normalization: normalization)
        workspace = ARDMTrainingWorkspace(model: model, maxB: config.batchSize, maxT: config.maxPositions,
                                          timesPerToken: config.pointsPerSequence,
                                          headRows: config.batchSize * config.pointsPerSequence)
        log = try JSONLLog(path: runDirectory.appendingPathComponent("log.jsonl"))
        let checkpoints = runDirectory.appendingPathComponent(Self.checkpointsFolder)
        if let step = checkpoint ?? TrainingCheckpoint.latestStep(in: checkpoints) {
            let resumed = try TrainingCheckpoint.load(model.params, from: checkpoints, step: step, as: Pretrainer.RunState.self)
            state = resumed
            optimizer.step = resumed.optimizerStep
        } else {
            // Start V at the value of knowing nothing: the mean target (MSE) or log E[exp z] (soft).
            let targets = train.targetSample.map { Double(normalization($0)) }
            let start = config.objective == .mse ? targets.reduce(0, +) / Double(targets.count)
                : Foundation.log(targets.map { Foundation.exp($0) }.reduce(0, +) / Double(targets.count))
            model.setValueBias(Float(start))
            state = Pretrainer.RunState(step: 0, rng: RNG(seed: config.seed), optimizerStep: 0, trainingSeconds: 0)
        }
    }

    public static let checkpointsFolder = "checkpoints"
    var checkpoints: URL { runDirectory.appendingPathComponent(Self.checkpointsFolder) }
    public var modelDirectory: URL { runDirectory.appendingPathComponent("model") }
    /// The best value model so far (`validateAndLog`): at our data scale a value starts to
    /// memorise its training trajectories after an epoch or two, and the latest one is then worse.
    public var bestModelDirectory: URL { runDirectory.appendingPathComponent("best") }
    public var trajectoryCount: Int { train.rewards.count }

    /// Trains until `config.steps` (or `stopAfter` in total), checkpointing as configured.
    @discardableResult
    public func run(stopAfter: Int? = nil, progress: Bool = true) throws -> [ValueStepResult] {
        let last = min(config.steps, stopAfter ?? config.steps)
        let bar = ProgressLine(total: config.steps, startingAt: state.step)
        var history: [ValueStepResult] = []
        while state.step < last {
            let t0 = Date()
            let batch = (config.groupBatches ?? false) ? train.randomGroups(config.batchSize, &state.rng, normalization: normalization)
                : (0..<config.batchSize).map { _ in train.randomTrajectory(&state.rng, normalization: normalization) }
            model.params.zeroGrads()
            let result = model.valueTrainingStep(batch, workspace, objective: config.objective, rng: &state.rng)
            let norm = clipGradientNorm(model.params, maxNorm: config.gradClip)
            let lr = config.schedule.rate(at: state.step)
            optimizer.update(model.params, lr: lr)
            state.step += 1
            state.optimizerStep = optimizer.step
            let seconds = Date().timeIntervalSince(t0)
            state.trainingSeconds += seconds
            history.append(result)
            log.write(["step": state.step, "loss": result.loss, "abs_error": result.absoluteError, "grad_norm": norm,
                       "lr": lr, "seconds": seconds])
            if progress {
                bar.update(state.step, String(format: "%@ loss %.4f |V−z| %.3f |g| %.2f", config.objective.rawValue,
                                              result.loss, result.absoluteError, norm))
            }
            if state.step % config.validateEvery == 0 || state.step == last { try validateAndLog() }
            if state.step % config.checkpointEvery == 0 || state.step == last { try saveCheckpoint() }
        }
        if progress { bar.finish() }
        return history
    }

    /// Loss, |V − z|, corr(V, z) and its within-group part over the fixed validation trajectories
    /// (fixed points and noise).
    public func validate() -> ValueStepResult? {
        guard !validation.isEmpty else { return nil }
        var rng = RNG(seed: config.seed &+ 2)
        return .merged(validation.map { model.valueValidation($0, workspace, objective: config.objective, rng: &rng) })
    }

    /// The validation figures as the log keeps them (nil without held-out trajectories).
    public func validationFigures() -> [String: Any]? { validate().map { figures($0, within: $0.withinGroupCorrelation) } }

    private func figures(_ v: ValueStepResult, within: Float?) -> [String: Any] {
        var figures: [String: Any] = ["step": state.step, "validation_loss": v.loss, "validation_abs_error": v.absoluteError,
                                      "validation_correlation": v.correlation ?? 0]
        if let within {
            figures["validation_within_group_correlation"] = within
            for (name, range) in Self.progressHalves {
                if let c = v.points(inProgress: range).withinGroupCorrelation { figures["validation_within_group_correlation_\(name)"] = c }
            }
        }
        return figures
    }

    /// The first and second half of every trajectory's generated tokens: a value can only rank
    /// samples by what their tokens so far decided, so the late half should rank better.
    static let progressHalves: [(String, Range<Float>)] = [("early", 0..<0.5), ("late", 0.5..<1)]

    /// Logs the validation figures and keeps the model in `best/` when it is the best yet. With
    /// rollout groups the best ranks the samples of one text best (the within-group corr: what
    /// guidance's gradient needs, and its scale is λ's business); without them its loss is the
    /// lowest. The figure it beat is read back from `best/` itself, so this survives a resume.
    func validateAndLog() throws {
        guard let v = validate() else { return }
        let within = v.withinGroupCorrelation, logged = figures(v, within: within)
        log.write(logged)
        let kept = try? JSONFile.read(ARDMFileConfig.self, from: bestModelDirectory.appendingPathComponent(ARDM.configFile)).provenance
        let better = if let within {
            within > kept?["validation_within_group_correlation"].flatMap(Float.init) ?? -.infinity
        } else {
            v.loss < kept?["validation_loss"].flatMap(Float.init) ?? .infinity
        }
        if better {
            var provenance = provenance
            provenance["validation_loss"] = "\(v.loss)"
            if let within { provenance["validation_within_group_correlation"] = "\(within)" }
            try model.save(to: bestModelDirectory, dtype: .f32, provenance: provenance)
        }
        var line = String(format: "validation at step %d: loss %.4f, mean |V − z| %.3f, corr(V, z) %.3f",
                          state.step, v.loss, v.absoluteError, v.correlation ?? 0)
        if let within {
            let halves = Self.progressHalves.map { logged["validation_within_group_correlation_\($0.0)"] as? Float ?? 0 }
            line += String(format: ", within groups %.3f (early half %.3f, late half %.3f)", within, halves[0], halves[1])
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// The resumable checkpoint, then the value model folder guidance loads.
    public func saveCheckpoint() throws {
        try TrainingCheckpoint.save(model.params, state: state, step: state.step, to: checkpoints)
        try model.save(to: modelDirectory, dtype: .f32, provenance: provenance)
    }

    /// What a value model file says about itself: the reward, its normalisation, the objective.
    public var provenance: [String: String] {
        var provenance = ["kind": "value", "reward": config.reward.rawValue, "objective": config.objective.rawValue,
                          "reward_mean": "\(normalization.mean)", "reward_std": "\(normalization.std)",
                          "trajectories": config.trajectories, "base": config.base, "corpus": config.corpus,
                          "seed": "\(config.seed)", "step": "\(state.step)"]
        if !config.fromCorpus {
            if let horizon = config.shareHorizon {
                provenance["share_horizon"] = "\(horizon)"
                provenance["share_lookback"] = "\(config.shareLookback ?? 0)"
            } else {
                provenance["group_normalization"] = "\(config.normalizesGroups)"
                provenance["group_targets"] = config.groupTargets.rawValue
            }
            provenance["group_batches"] = "\(config.groupBatches ?? false)"
        }
        return provenance
    }
}
