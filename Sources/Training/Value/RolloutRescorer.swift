import ARDM
import Corpus
import Foundation
import Guidance
import NN
import Rewards

/// Writes a copy of a rollout set with every rollout's reward computed again from its stored
/// tokens: what a changed reward (a mended F0 tracker, a retrained recogniser) needs, without
/// sampling the model again. The tokens are read as stored (f16, the samples were f32), so even
/// an unchanged reward reads close to, not exactly, the old value. With `tokenShares` (CTC
/// likelihood rollouts only) each rollout also gets its per-token shares of the likelihood.
/// Resumes by group like generation.
public struct RolloutRescorer {
    public let source: URL
    public let folder: URL
    /// Rollouts vocoded and scored at once.
    public let batch: Int
    public let tokenShares: Bool

    public init(source: URL, folder: URL, batch: Int = 32, tokenShares: Bool = false) {
        self.source = source; self.folder = folder; self.batch = batch; self.tokenShares = tokenShares
    }

    public func run(rewards: RewardCatalog, progress: Bool = true) throws {
        let set = try RolloutSet.load(from: source)
        var header = set.header
        if tokenShares {
            guard set.reward == .ctcLikelihood else {
                throw TrainingError.badConfig(path: source.path, reason: "token shares are shares of the CTC likelihood; these rollouts are rewarded by \(set.reward.rawValue)")
            }
            header.tokenShares = true
        }
        let done = try RolloutSet.prepareFolder(folder, for: header)
        let todo = set.rollouts.filter { !done.contains($0.group) }
        let store = try CorpusStore(path: set.header.corpus)
        let (model, _) = try ARDM.load(from: URL(fileURLWithPath: set.header.model))
        let pipeline = TTSPipeline(model: model)
        let reward = try rewards.make([set.reward])[0]
        let scorer = CandidateScorer(rewards: [reward])
        let lines = try JSONLLog(path: folder.appendingPathComponent(RolloutSet.linesFile))
        let D = model.config.tokenWidth
        // A group's rollouts share their prompt: its audio is read once.
        var promptAudio: [String: [Float]] = [:]
        let bar = ProgressLine(total: set.rollouts.count, startingAt: set.rollouts.count - todo.count, interval: 20)
        // Batches end at group boundaries, so a stop leaves whole groups only.
        var start = 0
        while start < todo.count {
            var end = min(start + batch, todo.count)
            while end < todo.count && todo[end].group == todo[end - 1].group { end += 1 }
            let chunk = todo[start..<end]
            let results = chunk.map { rollout -> SynthesisResult in
                let tokens = rollout.decodedTokens()
                return SynthesisResult(tokens: tokens, tokenCount: tokens.count / D, stopped: rollout.stopped)
            }
            let inputs = try chunk.map { rollout -> RewardInput in
                guard let prompt = store.utterance(id: rollout.prompt) else {
                    throw TrainingError.noData("rollouts name utterance \(rollout.prompt), not in the corpus")
                }
                if promptAudio[prompt.id] == nil { promptAudio[prompt.id] = try store.audio(for: prompt) }
                return RewardInput(audio: [], phonemeIDs: try rollout.phonemeIDs(in: store), promptAudio: promptAudio[prompt.id])
            }
            let scored = try scorer.score(results, inputs: inputs, pipeline: pipeline)
            var shares: [[Float]?] = Array(repeating: nil, count: scored.count)
            if tokenShares, let likelihood = reward as? CTCLikelihoodReward {
                shares = try LikelihoodShares.tokens(of: scored.map(\.waveform), tokenCounts: results.map(\.tokenCount),
                                                     inputs: inputs, reward: likelihood, secondsPerToken: pipeline.secondsPerToken)
            }
            for ((rollout, sample), tokenShares) in zip(zip(chunk, scored), shares) {
                var rescored = rollout
                rescored.reward = sample.scores[set.reward]!.value
                rescored.tokenShares = tokenShares
                try lines.append(rescored)
            }
            start = end
            if progress { bar.update(set.rollouts.count - todo.count + end, "") }
        }
        if progress { bar.finish() }
    }
}
