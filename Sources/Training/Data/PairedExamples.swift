import ARDM
import Audio
import Corpus
import Foundation
import NN

/// Training sequences from the corpus: a target utterance and, as its prompt, another utterance
/// of the same voice — the zero-shot format (prompt text + target text, prompt speech + target
/// speech). Every utterance's tokens are computed once and kept in memory.
public final class PairedExamples: @unchecked Sendable {
    public struct Item: Sendable {
        public let utterance: Utterance
        public let tokens: [Float]
        public let tokenCount: Int
        public let auxiliary: [Int32]
    }

    public let items: [Item]
    /// Item indices by voice.
    let byVoice: [String: [Int]]
    let voices: [String]
    public let maxPositions: Int
    let tokenWidth: Int
    /// How the tokens were made from the corpus audio (what a `VoiceWarp` undoes and redoes).
    let spectral: SpectralConfiguration
    let statistics: MelStatistics
    /// With engine sampling: item indices by engine, and the cumulative probability of drawing
    /// each engine (see `init`). Nil: targets uniform over all items.
    let byEngine: [[Int]]
    let engineCumulative: [Float]?

    /// Loads the utterances of `split` from voices the model may see (never the unseen ones).
    ///
    /// `engineExponent` α: targets are drawn from engine e with probability ∝ n_e^α (n_e its
    /// utterances here), uniformly within it. α = 1 is uniform over utterances; α < 1 lets the
    /// model hear the minority engines more (the corpus is 81% espeak-ng, and the base model
    /// spoke flite and festival voices far worse). Nil keeps the plain uniform draw, whose
    /// random stream earlier runs resume with.
    public init(store: CorpusStore, split: CorpusSplit, config: ARDMConfig, statistics: MelStatistics,
                phones: PhoneClasses, maxPositions: Int, engineExponent: Float? = nil) throws {
        let secondsPerToken = Double(config.patchFrames * store.summary.spectral.hopLength) / Double(store.summary.sampleRate)
        var items: [Item] = []
        for u in store.utterances(split: split, seenVoices: true) {
            let tokens = SpeechTokens.tokens(logMel: try store.mel(for: u), melBins: config.melBins,
                                             patchFrames: config.patchFrames, statistics: statistics)
            let count = tokens.count / config.tokenWidth
            // Too long to pair with anything inside the position budget: skip.
            guard count > 0, count + u.phonemeIDs.count + 2 <= maxPositions / 2 else { continue }
            items.append(Item(utterance: u, tokens: tokens, tokenCount: count,
                              auxiliary: phones.targets(for: u, tokenCount: count, secondsPerToken: secondsPerToken)))
        }
        self.items = items
        var groups: [String: [Int]] = [:]
        for (i, item) in items.enumerated() { groups[item.utterance.voice, default: []].append(i) }
        byVoice = groups
        voices = groups.keys.sorted()
        self.maxPositions = maxPositions
        tokenWidth = config.tokenWidth
        spectral = store.summary.spectral
        self.statistics = statistics
        let engines = Dictionary(grouping: items.indices, by: { items[$0].utterance.engine })
        byEngine = engines.keys.sorted().map { engines[$0]! }
        if let alpha = engineExponent {
            let weights = byEngine.map { pow(Float($0.count), alpha) }
            let total = weights.reduce(0, +)
            var running: Float = 0
            engineCumulative = weights.map { running += $0 / total; return running }
        } else {
            engineCumulative = nil
        }
    }

    /// The probability that a target comes from each engine, by engine name.
    public var engineProbabilities: [String: Float] {
        let names = byEngine.map { items[$0[0]].utterance.engine.rawValue }
        guard let cumulative = engineCumulative else {
            return Dictionary(uniqueKeysWithValues: zip(names, byEngine.map { Float($0.count) / Float(items.count) }))
        }
        return Dictionary(uniqueKeysWithValues: zip(names, cumulative.indices.map { cumulative[$0] - ($0 > 0 ? cumulative[$0 - 1] : 0) }))
    }

    /// A prompt/target pair drawn with `rng`: the target uniformly (or by engine, see `init`),
    /// the prompt uniformly among the other utterances of its voice.
    public func randomExample(_ rng: inout RNG) -> ARDMExample {
        let (prompt, target) = randomPair(&rng)
        return example(prompt: prompt, target: target)
    }

    /// Item indices of a random prompt/target pair (see `randomExample`).
    public func randomPair(_ rng: inout RNG) -> (prompt: Int, target: Int) {
        let target: Int
        if let cumulative = engineCumulative {
            let u = rng.uniform()
            let pool = byEngine[cumulative.firstIndex { u < $0 } ?? byEngine.count - 1]
            target = pool[rng.int(below: pool.count)]
        } else {
            target = rng.int(below: items.count)
        }
        let group = byVoice[items[target].utterance.voice]!
        var prompt = group[rng.int(below: group.count)]
        if prompt == target && group.count > 1 { prompt = group[(group.firstIndex(of: target)! + 1) % group.count] }
        return (prompt, target)
    }

    /// The sequence `prompt ‖ target` (text and speech each concatenated).
    public func example(prompt: Int, target: Int) -> ARDMExample {
        let a = items[prompt], b = items[target]
        return ARDMExample(textIDs: a.utterance.phonemeIDs + b.utterance.phonemeIDs,
                           speech: a.tokens + b.tokens, auxiliaryTargets: a.auxiliary + b.auxiliary,
                           promptTextCount: a.utterance.phonemeIDs.count, promptTokenCount: a.tokenCount)
    }

    /// Positions of an example in the LM: [BOS] text [SEP] speech.
    public func positions(of example: ARDMExample) -> Int {
        example.textIDs.count + 2 + example.tokenCount(width: tokenWidth)
    }
}
