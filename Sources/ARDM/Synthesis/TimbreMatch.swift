/// Moves generated speech toward the prompt's long-term average spectrum: each mel bin of the
/// output is shifted by `strength`·(prompt mean − output mean), both means taken over the
/// clip's louder half of frames (so pauses and trailing silence do not count). The average
/// log-mel spectrum is mostly the speaker (vocal tract, engine), not the words, so this copies
/// timbre the sampler did not, and leaves each frame's shape over time alone.
public enum TimbreMatch {
    /// The strength the server and `vgpo-train synthesize` use unless told otherwise.
    public static let serving: Float = 1

    /// `tokens` (frames·M values, normalised log-mel, frame-major) shifted toward `prompt`'s
    /// bin means. Either clip empty, or `strength` 0: `tokens` unchanged.
    public static func apply(_ tokens: [Float], prompt: [Float], melBins M: Int, strength: Float, smoothing: Int = 0) -> [Float] {
        guard strength != 0, tokens.count >= M, prompt.count >= M else { return tokens }
        let target = loudFrameMeans(prompt, melBins: M), current = loudFrameMeans(tokens, melBins: M)
        let shift = smoothed((0..<M).map { strength * (target[$0] - current[$0]) }, halfWidth: smoothing)
        var out = tokens
        for i in out.indices { out[i] += shift[i % M] }
        return out
    }

    /// A triangular moving average over neighbouring bins (weights halfWidth + 1 − |d|), the
    /// window cut at the edges.
    static func smoothed(_ values: [Float], halfWidth: Int) -> [Float] {
        guard halfWidth > 0 else { return values }
        return values.indices.map { m in
            var sum: Float = 0, weights: Float = 0
            for d in -halfWidth...halfWidth where values.indices.contains(m + d) {
                let w = Float(halfWidth + 1 - abs(d))
                sum += w * values[m + d]; weights += w
            }
            return sum / weights
        }
    }

    /// Each bin's mean over the frames whose mean over bins is at least the clip's median.
    static func loudFrameMeans(_ values: [Float], melBins M: Int) -> [Float] {
        let frames = values.count / M
        let loudness = (0..<frames).map { f in values[(f * M)..<((f + 1) * M)].reduce(0, +) / Float(M) }
        let median = loudness.sorted()[frames / 2]
        var sums = [Float](repeating: 0, count: M), count = 0
        for f in 0..<frames where loudness[f] >= median {
            for m in 0..<M { sums[m] += values[f * M + m] }
            count += 1
        }
        return sums.map { $0 / Float(count) }
    }
}
