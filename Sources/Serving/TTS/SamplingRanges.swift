/// Accepted ranges of per-request sampling settings that are not in the config file: they bound
/// what the sampler is known to do sensibly, not what the machine can afford.
enum SamplingRanges {
    /// LM guidance weight w (paper: 2). 0 is unconditional, 1 plain conditional.
    static let cfg: ClosedRange<Double> = 0...10
    /// Voice guidance weight w_s (`SamplingOptions.voiceScale`): 1 is the paper's LM guidance;
    /// other values (but `cfg`) run a third sequence per request.
    static let voiceScale: ClosedRange<Double> = 0...10
    /// Noise scale (1 = the model's distribution; 0 = the mean path).
    static let temperature: ClosedRange<Double> = 0...2
    /// Fraction of the shift toward the prompt's average spectrum (`TimbreMatch`).
    static let timbreMatch: ClosedRange<Double> = 0...1
    /// Value-guidance scale λ.
    static let guidanceScale: ClosedRange<Double> = 0...100
}
