import ARDM
import Corpus
import Foundation
import NN
import Rewards

/// Value-training trajectories from the corpus itself (the paper's Task A shortcut, §4.2: the
/// value model learns from real audio and its reward, assuming the base model's distribution
/// is close to the data's): prompt/target pairs of one voice, rewarded on the target's audio.
/// Rewards are computed once per utterance and cached in the run folder.
public final class CorpusTrajectories: @unchecked Sendable {
    let examples: PairedExamples
    /// Raw reward of every item of `examples`, in order.
    public let rewards: [Double]

    public init(store: CorpusStore, split: CorpusSplit, model: ARDM, reward: any Reward, maxPositions: Int,
                cache: URL) throws {
        examples = try PairedExamples(store: store, split: split, config: model.config, statistics: model.melStatistics,
                                      phones: PhoneClasses(names: []), maxPositions: maxPositions)
        var cached = (try? JSONFile.read([String: Double].self, from: cache)) ?? [:]
        let missing = examples.items.filter { cached[$0.utterance.id] == nil }
        if !missing.isEmpty {
            let bar = ProgressLine(total: missing.count)
            var done = 0
            for chunk in stride(from: 0, to: missing.count, by: 64).map({ Array(missing[$0..<min($0 + 64, missing.count)]) }) {
                let inputs = try chunk.map { item in
                    RewardInput(audio: try store.audio(for: item.utterance), phonemeIDs: item.utterance.phonemeIDs)
                }
                for (item, score) in zip(chunk, try reward.score(inputs)) { cached[item.utterance.id] = score.value }
                done += chunk.count
                bar.update(done, "\(reward.name.rawValue) of corpus audio")
            }
            bar.finish()
            try JSONFile.write(cached, to: cache)
        }
        rewards = examples.items.map { cached[$0.utterance.id]! }
    }

    /// A random pair whose sequence fits, with its target's normalised reward.
    public func randomTrajectory(_ rng: inout RNG, normalization: RewardNormalization) -> ValueExample {
        while true {
            let (prompt, target) = examples.randomPair(&rng)
            let example = examples.example(prompt: prompt, target: target)
            guard examples.positions(of: example) <= examples.maxPositions else { continue }
            return ValueExample(example: example, reward: normalization(rewards[target]))
        }
    }
}
