import Foundation

/// The cosine noise schedule in continuous time t ∈ [0, 1]:
///   x_t = α_t·x_0 + σ_t·ε,  α_t = cos(πt/2),  σ_t = sin(πt/2)   (α² + σ² = 1)
/// The network predicts v = α_t·ε − σ_t·x_0 (v-prediction: well scaled at every t, where
/// ε-prediction degenerates near t = 1 and x_0-prediction near t = 0). From v:
///   x̂_0 = α_t·x_t − σ_t·v,   ε̂ = σ_t·x_t + α_t·v.
public enum NoiseSchedule {
    /// Training times are drawn from [minimumTime, maximumTime]: at exactly 0 or 1 one of α, σ
    /// vanishes and the loss carries no information.
    public static let minimumTime: Float = 1e-3
    public static let maximumTime: Float = 1 - 1e-3

    @inline(__always) public static func alpha(_ t: Float) -> Float { cos(Float.pi / 2 * t) }
    @inline(__always) public static func sigma(_ t: Float) -> Float { sin(Float.pi / 2 * t) }

    /// The 16-step (by default) grid of the sampler, from t = 1 (noise) down to 0.
    public static func samplingTimes(steps: Int) -> [Float] {
        (0...steps).map { Float(steps - $0) / Float(steps) }
    }
}
