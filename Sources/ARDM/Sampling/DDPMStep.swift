import NN

/// One DDPM step of one token from time t to s < t, shared by the samplers:
///   v = Σ_b w_b·v_b   (LM guidance: `GuidanceBranch`),  ε̂ = σ_t·x + α_t·v,  x̂₀ = α_t·x − σ_t·v,
///   optional guidance: ε̂ ← ε̂ − g and x̂₀ = (x − σ_t·ε̂)/α_t,
///   x ← x̂₀ at s = 0, else the posterior q(x_s | x_t, x̂₀):
///   mean = (α_{t|s}σ_s²/σ_t²)·x + (α_s σ²_{t|s}/σ_t²)·x̂₀,  var = σ²_{t|s}σ_s²/σ_t²,
///   with α_{t|s} = α_t/α_s and σ²_{t|s} = σ_t² − α²_{t|s}σ_s².
/// Two optional corrections of what LM guidance extrapolates (`SamplingOptions`): rescaling
/// (Lin et al. 2024, §3.4) brings v's spread back toward the conditional branch's,
///   v ← v·(φ·std(v_c)/std(v) + 1 − φ),
/// and a bound B clamps x̂₀ to [−B, B] (normalised mel units).
public struct DDPMStep: Sendable {
    let at: Float, st: Float
    let meanX: Float, meanX0: Float, noiseStd: Float
    let final: Bool
    let rescale: Float, x0Bound: Float

    public init(t: Float, s: Float, temperature: Float = 1, cfgRescale: Float = 0, x0Bound: Float = 0) {
        rescale = cfgRescale; self.x0Bound = x0Bound
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
        let spread = rescale > 0 ? rescaleFactor(branches: branches, weights: weights, D: D) : 1
        for d in 0..<D {
            var v: Float = 0
            for (b, weight) in weights.enumerated() { v += weight * branches[b * D + d] }
            v *= spread
            var x0 = at * x[d] - st * v
            if let correction {
                let eps = st * x[d] + at * v - correction[d]
                x0 = (x[d] - st * eps) / at
            }
            if x0Bound > 0 { x0 = min(max(x0, -x0Bound), x0Bound) }
            x[d] = final ? x0 : meanX * x[d] + meanX0 * x0 + noiseStd * rng.normal()
        }
    }

    /// φ·std(v_c)/std(v) + 1 − φ over the token's D values; v_c is branch 0, the conditional one.
    private func rescaleFactor(branches: UnsafePointer<Float>, weights: [Float], D: Int) -> Float {
        var guided = Moments(), conditional = Moments()
        for d in 0..<D {
            var v: Float = 0
            for (b, weight) in weights.enumerated() { v += weight * branches[b * D + d] }
            guided.add(v); conditional.add(branches[d])
        }
        let guidedStd = guided.std(count: D)
        return guidedStd > 0 ? rescale * conditional.std(count: D) / guidedStd + 1 - rescale : 1
    }

    private struct Moments {
        var sum: Float = 0, squares: Float = 0
        mutating func add(_ value: Float) { sum += value; squares += value * value }
        func std(count: Int) -> Float {
            let mean = sum / Float(count)
            return max(squares / Float(count) - mean * mean, 0).squareRoot()
        }
    }
}
