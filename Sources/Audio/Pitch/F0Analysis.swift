/// One-call F0 summaries for tools: the comparison against Praat (scripts/compare_f0_praat.py),
/// a `vgpo-train f0`-style CLI hook and the `vgpo-bench frontend` timings.
public enum F0Analysis {
    /// Decodes an audio file (any format libsndfile reads), resamples to 16 kHz and returns its
    /// mean voiced F0 and F0V reward.
    public static func analyze(path: String, reward: F0VarianceReward = F0VarianceReward()) throws(AudioError) -> F0VarianceResult {
        let waveform = try AudioDecoder.decode(path: path, targetSampleRate: reward.tracker.configuration.sampleRate)
        return reward(waveform.samples)
    }

    /// Same for 16 kHz mono samples already in memory.
    public static func analyze(samples: [Float], reward: F0VarianceReward = F0VarianceReward()) -> F0VarianceResult {
        reward(samples)
    }
}
