/// The divergence proxy between a fine-tuned ARDM and its base (paper Eq. 15, reported as
/// "KL" in its tables; DESIGN §8):
///
///   KL ≈ E_{n, t} ‖s_θ(x_n^t | x_<n) − s_μ(x_n^t | x_<n)‖²,   s(x_t) = −ε(x_t) / σ_t
///
/// i.e. the squared difference of the two models' scores at the same noisy token and context,
/// summed over the token's d dimensions, averaged over the (token, diffusion time) pairs drawn
/// from samples of the fine-tuned model. With ε-prediction this is ‖ε_θ − ε_μ‖² / σ_t².
/// The caller runs both models; this accumulates and averages.
public struct KLProxy: Sendable, Equatable {
    public private(set) var pairs = 0
    private var sum = 0.0

    public init() {}

    /// Adds one (token, time) pair: both models' noise predictions `(d)` at noise level σ_t.
    public mutating func add(fineTunedNoise: [Float], baseNoise: [Float], sigma: Float) {
        precondition(fineTunedNoise.count == baseNoise.count, "noise predictions of different sizes")
        precondition(sigma > 0, "σ_t must be positive")
        var squared = 0.0
        for i in fineTunedNoise.indices {
            let d = Double(fineTunedNoise[i] - baseNoise[i])
            squared += d * d
        }
        sum += squared / (Double(sigma) * Double(sigma))
        pairs += 1
    }

    /// The mean over the pairs added; 0 before any.
    public var value: Double { pairs == 0 ? 0 : sum / Double(pairs) }
}
