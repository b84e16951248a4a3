import Rewards

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
}
