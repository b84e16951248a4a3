import NN

/// One DDPM step of one token from time t to s < t, shared by the samplers:
///   v = Σ_b w_b·v_b   (LM guidance: `GuidanceBranch`),  ε̂ = σ_t·x + α_t·v,  x̂₀ = α_t·x − σ_t·v,
///   optional guidance: ε̂ ← ε̂ − g and x̂₀ = (x − σ_t·ε̂)/α_t,
///   x ← x̂₀ at s = 0, else the posterior q(x_s | x_t, x̂₀):
///   mean = (α_{t|s}σ_s²/σ_t²)·x + (α_s σ²_{t|s}/σ_t²)·x̂₀,  var = σ²_{t|s}σ_s²/σ_t²,
///   with α_{t|s} = α_t/α_s and σ²_{t|s} = σ_t² − α²_{t|s}σ_s².
public struct DDPMStep: Sendable {
    let at: Float, st: Float
    let meanX: Float, meanX0: Float, noiseStd: Float
    let final: Bool

    public init(t: Float, s: Float, temperature: Float = 1) {
        at = NoiseSchedule.alpha(t); st = NoiseSchedule.sigma(t)
        let (as_, ss) = (NoiseSchedule.alpha(s), NoiseSchedule.sigma(s))
        let ats = at / as_, varTs = st * st - ats * ats * ss * ss
        meanX = ats * ss * ss / (st * st)
        meanX0 = as_ * varTs / (st * st)
        noiseStd = temperature * (max(varTs, 0) * ss * ss / (st * st)).squareRoot()
        final = s <= 0
    }

    /// Updates the D values of `x` in place from the head's outputs `branches (weights.count, D)`,
    /// one row per guidance branch; `correction` is g (or nil), `rng` the token's stream.
    @inline(__always)
    public func apply(x: FloatPointer, branches: UnsafePointer<Float>, weights: [Float], D: Int,
                      correction: UnsafePointer<Float>?, rng: inout RNG) {
        for d in 0..<D {
            var v: Float = 0
            for (b, weight) in weights.enumerated() { v += weight * branches[b * D + d] }
            var x0 = at * x[d] - st * v
            if let correction {
                let eps = st * x[d] + at * v - correction[d]
                x0 = (x[d] - st * eps) / at
            }
            x[d] = final ? x0 : meanX * x[d] + meanX0 * x0 + noiseStd * rng.normal()
        }
    }
}
