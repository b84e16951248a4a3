import ARDM
import Corpus
import Foundation
import Guidance
import NN
import Rewards

/// Evaluation during fine-tuning (the curves of the paper's Figure 2): the first items of a
/// task, sampled by the policy with fixed seeds, scored by the task's columns (F0V or NLL,
/// PER, SIM), and the KL proxy: the mean ‖ε_θ − ε_μ‖² of the LM-guided predictions at fixed
/// random points of those samples (the paper reports the same kind of quantity, Liu et al.'s
/// diffusion KL, on its test sets).
///
/// It samples with a synthesizer of its own, as long as `vgpo-train eval` lets a sample run
/// (`ARDMSampler.capacity(for:)`), not as long as training's `max_positions`: Task B's
/// long sentences run past the 512 positions a training step needs.
final class PolicyEvaluator {
    let task: EvalTask
    let requests: [SynthesisRequest]
    let inputs: [RewardInput]
    let scorer: CandidateScorer
    let synthesizer: GuidedSynthesizer
    let seed: UInt64
    /// Diffusion points per sample of the KL proxy.
    let pointsPerSequence: Int

    init(config: FineTuneConfig.Evaluation, store: CorpusStore, policy: ARDM, pointsPerSequence: Int) throws {
        guard let task = EvalTask(rawValue: config.task.uppercased()) else {
            throw TrainingError.badConfig(path: "evaluation.task", reason: "must be A or B, not \(config.task)")
        }
        self.task = task
        seed = config.seed
        self.pointsPerSequence = pointsPerSequence
        let capacity = ARDMSampler.capacity(for: policy)
        let synthesizer = GuidedSynthesizer(model: policy, maxBatch: max(1, min(config.items, 16)), capacity: capacity)
        self.synthesizer = synthesizer
        let pipeline = synthesizer.pipeline
        var requests: [SynthesisRequest] = [], inputs: [RewardInput] = []
        let D = policy.config.tokenWidth
        for (i, item) in try task.items(store).prefix(config.items).enumerated() {
            guard let prompt = store.utterance(id: item.prompt.utteranceID) else {
                throw TrainingError.noData("task \(task.rawValue) names utterance \(item.prompt.utteranceID), not in the corpus")
            }
            let audio = try store.audio(for: prompt)
            let request = try pipeline.request(text: item.targetText, promptText: prompt.text, promptAudio: audio,
                                               seed: config.seed &+ UInt64(i), maxSeconds: 30)
            guard let fitted = request.fitted(maxPositions: capacity, tokenWidth: D) else { continue }
            requests.append(fitted)
            inputs.append(RewardInput(audio: [], phonemeIDs: item.targetPhonemeIDs, promptAudio: audio))
        }
        self.requests = requests; self.inputs = inputs
        scorer = CandidateScorer(rewards: try RewardCatalog(ctcModel: URL(fileURLWithPath: config.ctc),
                                                            speakerModel: URL(fileURLWithPath: config.speaker))
            .make(task.columns.map(\.reward)))
    }

    /// Column means, the stop rate and the KL proxy of the policy as its weights are now.
    func evaluate(reference: ARDM, options: SamplingOptions) throws -> [String: Double] {
        let policy = synthesizer.pipeline.model
        let results = synthesizer.generate(requests, options: options)
        let scored = try scorer.score(results, inputs: inputs, pipeline: synthesizer.pipeline)
        var metrics: [String: Double] = [:]
        for column in task.columns {
            let values = scored.map { column.value($0.scores) }.filter(\.isFinite)
            metrics[column.rawValue] = values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
        }
        metrics["stopped"] = Double(results.filter(\.stopped).count) / Double(max(results.count, 1))
        let examples = zip(requests, results).map { ARDMExample(rollout: $1, of: $0, tokenWidth: policy.config.tokenWidth) }
        var rng = RNG(seed: seed &+ 99)
        metrics["KL"] = klProxy(policy: policy, reference: reference, samples: examples, cfg: options.cfg,
                                pointsPerSequence: pointsPerSequence, rng: &rng)
        return metrics
    }
}

/// The KL proxy between a fine-tuned policy and its reference: the mean ‖ε_θ − ε_μ‖² of their
/// LM-guided predictions at `pointsPerSequence` random (n, t) points of each of `samples` (the
/// policy's own). It runs two samples at a time (each as two sequences, with and without its
/// text) in a workspace of its own, sized by the longest sample and freed on return: samples
/// can be longer than any training step's.
public func klProxy(policy: ARDM, reference: ARDM, samples: [ARDMExample], cfg: Float, pointsPerSequence K: Int,
                    rng: inout RNG) -> Double {
    let D = policy.config.tokenWidth, chunk = 2
    guard let longest = samples.map({ $0.rows(width: D) }).max() else { return .nan }
    let workspace = ARDMTrainingWorkspace(model: policy, maxB: 2 * chunk, maxT: longest, timesPerToken: K, headRows: 2 * chunk * K)
    var total: Double = 0, count = 0
    for start in stride(from: 0, to: samples.count, by: chunk) {
        let batch = Array(samples[start..<min(start + chunk, samples.count)])
        let points = DiffusionPoints(batch: batch, perSequence: K, tokenWidth: D, rng: &rng)
        let mu = reference.guidedPrediction(batch, points, cfg: cfg, workspace).v
        let theta = policy.guidedPrediction(batch, points, cfg: cfg, workspace).v
        total += VGPOObjective.klSum(v: theta, reference: mu, times: points.points.map(\.time), D: D)
        count += points.count * D
    }
    return total / Double(max(count, 1))
}
