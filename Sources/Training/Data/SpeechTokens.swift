import Audio

/// Speech tokens from log-mel: normalise per bin, then cut into patches of P consecutive frames.
/// Frames are rows of the (F, M) log-mel, so a patch is P·M contiguous values and the token
/// sequence is just the first ⌊F/P⌋·P frames of the normalised mel. The last F mod P frames
/// (under 4 · 16 ms) are dropped.
public enum SpeechTokens {
    public static func tokens(logMel: [Float], melBins M: Int, patchFrames P: Int, statistics: MelStatistics) -> [Float] {
        let frames = logMel.count / M / P * P
        var out = [Float](repeating: 0, count: frames * M)
        for f in 0..<frames {
            for m in 0..<M { out[f * M + m] = (logMel[f * M + m] - statistics.mean[m]) / statistics.std[m] }
        }
        return out
    }

    /// The inverse: tokens (S, P·M) back to un-normalised log-mel frames (S·P, M).
    public static func logMel(tokens: [Float], melBins M: Int, statistics: MelStatistics) -> [Float] {
        var out = tokens
        for i in out.indices { out[i] = out[i] * statistics.std[i % M] + statistics.mean[i % M] }
        return out
    }
}
