/// Group reward normalisation (paper §4.3, as GRPO): within each group of samples drawn for one
/// prompt/text pair, r̃ = (r − mean(r)) / std(r).
///
/// std is the population standard deviation. A group whose rewards are all equal (std below
/// `minimumStandardDeviation`) carries no preference between its samples: it maps to zeros
/// rather than dividing by ~0.
public enum GroupNormalization {
    public static let minimumStandardDeviation = 1e-8

    /// Normalises one group.
    public static func normalize(_ rewards: [Double]) -> [Double] {
        guard !rewards.isEmpty else { return [] }
        let n = Double(rewards.count)
        let mean = rewards.reduce(0, +) / n
        let std = (rewards.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / n).squareRoot()
        guard std >= minimumStandardDeviation else { return rewards.map { _ in 0 } }
        return rewards.map { ($0 - mean) / std }
    }

    /// Normalises rewards whose group is given per sample (any hashable key: a prompt id, a
    /// (prompt, text) pair); the result is in the input's order.
    public static func normalize<Key: Hashable>(_ rewards: [Double], groups: [Key]) -> [Double] {
        precondition(rewards.count == groups.count, "one group key per reward")
        var members: [Key: [Int]] = [:]
        for (i, key) in groups.enumerated() { members[key, default: []].append(i) }
        var result = [Double](repeating: 0, count: rewards.count)
        for indices in members.values {
            for (i, value) in zip(indices, normalize(indices.map { rewards[$0] })) { result[i] = value }
        }
        return result
    }
}
