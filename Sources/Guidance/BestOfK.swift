import ARDM
import Rewards

/// Best-of-K (the paper's BoN baseline): K candidates of one request, sampled as one batch
/// with seeds seed, seed + 1, …, seed + K − 1 (so candidate 0 is the plain sample of that
/// seed), scored by a reward objective; the best one is returned with every candidate's scores.
public struct BestOfK: Sendable {
    public let k: Int
    public let objective: RewardObjective

    public init(k: Int, objective: RewardObjective) {
        precondition(k >= 1, "best-of-K needs K ≥ 1")
        self.k = k; self.objective = objective
    }

    public func candidates(of request: SynthesisRequest) -> [SynthesisRequest] {
        (0..<k).map { i in
            var candidate = request
            candidate.seed = request.seed &+ UInt64(i)
            return candidate
        }
    }

    /// Index of the best candidate (the first among equals; NaN scores never win).
    public func best(_ scores: [[RewardName: RewardScore]], directions: [RewardName: RewardDirection]) -> Int {
        let values = scores.map { objective.value($0, directions: directions) }
        var best = 0
        for (i, v) in values.enumerated() where !v.isNaN && (values[best].isNaN || v > values[best]) { best = i }
        return best
    }
}
