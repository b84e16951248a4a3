import Rewards

/// What best-of-K maximises: one reward, or a weighted sum of several, each oriented so that
/// larger is better (PER counts negatively). Written "ctc_likelihood" or "f0v:1,sim:20".
public struct RewardObjective: Sendable, Equatable {
    public var weights: [RewardName: Double]

    public init(weights: [RewardName: Double]) { self.weights = weights }
    public init(_ reward: RewardName) { weights = [reward: 1] }

    public static func parse(_ text: String) throws(RewardError) -> RewardObjective {
        var weights: [RewardName: Double] = [:]
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let name = RewardName(rawValue: pieces[0]) else { throw .unknownReward(pieces[0]) }
            var weight = 1.0
            if pieces.count == 2 {
                guard let w = Double(pieces[1]), w.isFinite else { throw .unknownReward(String(part)) }
                weight = w
            }
            weights[name] = weight
        }
        guard !weights.isEmpty else { throw .unknownReward(text) }
        return RewardObjective(weights: weights)
    }

    /// The rewards the objective reads, in a stable order.
    public var rewards: [RewardName] { weights.keys.sorted { $0.rawValue < $1.rawValue } }

    /// Σ weight · oriented score; `scores` must hold every reward of the objective.
    public func value(_ scores: [RewardName: RewardScore], directions: [RewardName: RewardDirection]) -> Double {
        weights.reduce(0) { sum, term in
            sum + term.value * (directions[term.key] ?? .higherIsBetter).oriented(scores[term.key]?.value ?? .nan)
        }
    }
}
