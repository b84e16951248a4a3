import NN

/// Groups utterances of similar length into batches under a frame budget, so little of each
/// batch is padding: shuffle, cut into pools, sort each pool by length, fill batches greedily
/// while `count · longest ≤ maxFrames` and `count ≤ maxUtterances`, then shuffle the batches.
public enum LengthBatcher {
    /// Utterances per sorting pool: large enough to find similar lengths, small enough that
    /// an epoch's batches still mix the corpus.
    public static let poolSize = 512

    /// Batches of indices into `lengths` (an index per utterance), deterministic for `rng`.
    public static func batches(lengths: [Int], maxFrames: Int, maxUtterances: Int, rng: inout RNG) -> [[Int]] {
        var order = Array(lengths.indices)
        rng.shuffle(&order)
        var batches: [[Int]] = []
        for poolStart in stride(from: 0, to: order.count, by: poolSize) {
            let pool = order[poolStart..<min(order.count, poolStart + poolSize)].sorted { lengths[$0] < lengths[$1] }
            var current: [Int] = []
            for i in pool {
                let longest = max(current.map { lengths[$0] }.max() ?? 0, lengths[i])
                if !current.isEmpty && ((current.count + 1) * longest > maxFrames || current.count >= maxUtterances) {
                    batches.append(current)
                    current = []
                }
                current.append(i)
            }
            if !current.isEmpty { batches.append(current) }
        }
        rng.shuffle(&batches)
        return batches
    }
}
