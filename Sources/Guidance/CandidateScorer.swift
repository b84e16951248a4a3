import ARDM
import Audio
import Rewards

/// One synthesised clip and its scores.
public struct ScoredSample: Sendable {
    public var result: SynthesisResult
    public var waveform: Waveform
    public var scores: [RewardName: RewardScore]
}

/// Scores clips with a set of rewards at once (each reward model sees the whole batch).
public struct CandidateScorer: Sendable {
    public let rewards: [any Reward]

    public init(rewards: [any Reward]) { self.rewards = rewards }

    public var directions: [RewardName: RewardDirection] {
        Dictionary(uniqueKeysWithValues: rewards.map { ($0.name, $0.direction) })
    }

    /// One dictionary of scores per input.
    public func score(_ inputs: [RewardInput]) throws -> [[RewardName: RewardScore]] {
        var out = [[RewardName: RewardScore]](repeating: [:], count: inputs.count)
        for reward in rewards {
            for (i, score) in try reward.score(inputs).enumerated() { out[i][reward.name] = score }
        }
        return out
    }

    /// Vocodes each result through `pipeline` and scores it; `inputs[i]` carries everything
    /// but the audio.
    public func score(_ results: [SynthesisResult], inputs: [RewardInput], pipeline: TTSPipeline) throws -> [ScoredSample] {
        let waves = pipeline.waveforms(of: results)
        var filled = inputs
        for i in filled.indices { filled[i].audio = waves[i].samples }
        let scores = try score(filled)
        return results.indices.map { ScoredSample(result: results[$0], waveform: waves[$0], scores: scores[$0]) }
    }
}
