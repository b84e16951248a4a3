import ARDM
import Corpus
import Foundation
import Guidance
import NN
import Rewards

/// One prompt's rollouts: each as the training sequence the model generated it in (prompt
/// text + target text, prompt speech + generated tokens, exactly as the sampler saw them),
/// with its raw reward and whether the stop head ended it.
public struct RolloutGroup: Sendable {
    public var examples: [ARDMExample]
    public var rewards: [Double]
    public var stopped: [Bool]
    /// Per rollout, its per-token shares of the CTC likelihood (`LikelihoodShares`) when they
    /// were asked for (nil where the phonemes did not fit); empty otherwise.
    public var tokenShares: [[Float]?] = []
}

/// Samples groups of rollouts of a model as it is now (the policy during fine-tuning, or the
/// frozen base for ADM's pool) for random prompt/target pairs, and scores them by one reward.
final class OnPolicyRollouts {
    let store: CorpusStore
    let pairs: PromptPairs
    let synthesizer: GuidedSynthesizer
    let scorer: CandidateScorer
    let reward: RewardName
    let maxPositions: Int
    /// Whether each rollout also gets its per-token likelihood shares (a CTC likelihood reward only).
    var tokenShares = false
    private var promptAudio: [String: [Float]] = [:]

    init(model: ARDM, store: CorpusStore, reward: Reward, batch: Int, maxPositions: Int) throws {
        self.store = store
        pairs = try PromptPairs(store: store)
        synthesizer = GuidedSynthesizer(model: model, maxBatch: batch, capacity: maxPositions)
        scorer = CandidateScorer(rewards: [reward])
        self.reward = reward.name
        self.maxPositions = maxPositions
    }

    /// Seconds of audio per generated token.
    var secondsPerToken: Double { synthesizer.pipeline.secondsPerToken }

    /// `prompts` random pairs, `perPrompt` rollouts of each (seeds drawn from `rng`), each at
    /// most twice its corpus duration plus a second and never past `maxPositions`.
    func sample(prompts: Int, perPrompt: Int, options: SamplingOptions, rng: inout RNG) throws -> [RolloutGroup] {
        var requests: [SynthesisRequest] = [], inputs: [RewardInput] = []
        let D = synthesizer.pipeline.model.config.tokenWidth
        for _ in 0..<prompts {
            // A pair whose prefix leaves no room to speak in `maxPositions` is drawn again.
            var drawn: (request: SynthesisRequest, audio: [Float], target: Utterance)?
            for _ in 0..<100 where drawn == nil {
                let (prompt, target) = pairs.draw(&rng)
                let audio = try audio(of: prompt)
                let request = try synthesizer.pipeline.request(text: target.text, promptText: prompt.text, promptAudio: audio,
                                                               seed: rng.next(), maxSeconds: 2 * target.duration + 1)
                guard let fitted = request.fitted(maxPositions: maxPositions, tokenWidth: D) else { continue }
                drawn = (fitted, audio, target)
            }
            guard let (request, audio, target) = drawn else {
                throw TrainingError.noData("no prompt/target pair fits in \(maxPositions) positions")
            }
            for g in 0..<perPrompt {
                var candidate = request
                candidate.seed = request.seed &+ UInt64(g)
                requests.append(candidate)
                inputs.append(RewardInput(audio: [], phonemeIDs: target.phonemeIDs, promptAudio: audio))
            }
        }
        let results = synthesizer.generate(requests, options: options)
        let scored = try scorer.score(results, inputs: inputs, pipeline: synthesizer.pipeline)
        var shares: [[Float]?] = []
        if tokenShares {
            guard let likelihood = scorer.rewards.first as? CTCLikelihoodReward else {
                throw TrainingError.badConfig(path: reward.rawValue, reason: "token shares need the CTC likelihood reward")
            }
            shares = try LikelihoodShares.tokens(of: scored.map(\.waveform), tokenCounts: results.map(\.tokenCount), inputs: inputs,
                                                 reward: likelihood, secondsPerToken: secondsPerToken)
        }
        return (0..<prompts).map { p in
            let members = (p * perPrompt)..<((p + 1) * perPrompt)
            return RolloutGroup(examples: members.map { ARDMExample(rollout: results[$0], of: requests[$0], tokenWidth: D) },
                                rewards: members.map { scored[$0].scores[reward]!.value },
                                stopped: members.map { results[$0].stopped },
                                tokenShares: shares.isEmpty ? [] : Array(shares[members]))
        }
    }

    private func audio(of utterance: Utterance) throws -> [Float] {
        if let cached = promptAudio[utterance.id] { return cached }
        let audio = try store.audio(for: utterance)
        promptAudio[utterance.id] = audio
        return audio
    }
}

extension ARDMExample {
    /// A sampled sequence as a training sequence, exactly as the sampler saw it: the request's
    /// phonemes, its prompt tokens, then the generated tokens.
    public init(rollout result: SynthesisResult, of request: SynthesisRequest, tokenWidth D: Int) {
        let S = (request.promptSpeech.count + result.tokens.count) / D
        self.init(textIDs: request.textIDs, speech: request.promptSpeech + result.tokens,
                  auxiliaryTargets: [Int32](repeating: -1, count: S), promptTokenCount: request.promptSpeech.count / D)
    }
}

extension SynthesisRequest {
    /// Generated tokens a request must leave room for.
    static let minimumRoom = 16

    /// The request with its length capped so that prefix and speech fit `maxPositions` (a
    /// training workspace's sequences), or nil when the prefix leaves fewer than `minimumRoom`.
    func fitted(maxPositions: Int, tokenWidth D: Int) -> SynthesisRequest? {
        let room = maxPositions - textIDs.count - 2 - promptSpeech.count / D
        guard room >= Self.minimumRoom else { return nil }
        var fitted = self
        fitted.maxTokens = min(maxTokens, room)
        return fitted
    }
}
