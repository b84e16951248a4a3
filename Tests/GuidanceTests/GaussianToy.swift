import ARDM
import Foundation
import NN

/// The closed-form toy of the value-guidance theory (paper Theorem 2, Corollary 1).
///
/// An "ARDM" over two tokens of two dimensions whose data distribution μ = N(m, Σ) on the
/// stacked x = (x₁, x₂) ∈ R⁴ is Gaussian, so every conditional μ(x_n | x_<n) and its score at
/// every diffusion time are exact. The reward r(x) = bᵀx − ½·xᵀQx makes the tilted target
/// π ∝ μ·exp(r) Gaussian too: Σ_π = (Σ⁻¹ + Q)⁻¹, m_π = Σ_π(Σ⁻¹m + b). Both value functions have
/// closed forms:
/// - soft value (Eq. 8): by Theorem 2, ∇_y V = ∇_y log π(y | x_<n) − ∇_y log μ(y | x_<n), both
///   noised Gaussian conditionals;
/// - plain value E[r | x_<n, y] (what the MSE loss of Eq. 13 learns): with the posterior mean
///   μ_c = E[x | x_<n, y] = a + K·y, its gradient is Kᵀ(b − Q·μ_c).
struct GaussianToy {
    static let tokens = 2, width = 2
    let mean: [Double]
    let covariance: SmallMatrix
    let b: [Double]
    let Q: SmallMatrix

    /// μ: x₁ ~ N(m₁, S₁), x₂ | x₁ ~ N(A·x₁ + c, S₂); a reward that depends on both tokens, so the
    /// first token's value has to anticipate the second.
    static let standard: GaussianToy = {
        let m1 = [0.3, -0.2], c = [0.1, 0.4]
        let S1 = SmallMatrix(rows: 2, cols: 2, values: [1.0, 0.3, 0.3, 0.6])
        let A = SmallMatrix(rows: 2, cols: 2, values: [0.7, -0.2, 0.1, 0.5])
        let S2 = SmallMatrix(rows: 2, cols: 2, values: [0.5, -0.1, -0.1, 0.8])
        let m2 = (A * .column(m1)).values.enumerated().map { $0.element + c[$0.offset] }
        let cross = A * S1, lower = A * S1 * A.transposed + S2
        var sigma = SmallMatrix(rows: 4, cols: 4)
        for i in 0..<2 {
            for j in 0..<2 {
                sigma[i, j] = S1[i, j]; sigma[2 + i, 2 + j] = lower[i, j]
                sigma[2 + i, j] = cross[i, j]; sigma[j, 2 + i] = cross[i, j]
            }
        }
        let Q = SmallMatrix(rows: 4, cols: 4, values: [0.6, 0.1, 0, 0, 0.1, 0.4, 0, 0.1, 0, 0, 0.9, 0, 0, 0.1, 0, 0.5])
        return GaussianToy(mean: m1 + m2, covariance: sigma, b: [0.8, -0.5, 0.6, 0.4], Q: Q)
    }()

    func reward(_ x: [Double]) -> Double {
        let qx = (Q * .column(x)).values
        return zip(b, x).map { $0 * $1 }.reduce(0, +) - 0.5 * zip(x, qx).map { $0 * $1 }.reduce(0, +)
    }

    /// π ∝ μ·exp(r): (mean, covariance).
    var tilted: (mean: [Double], covariance: SmallMatrix) {
        let precision = covariance.inverse
        let cov = (precision + Q).inverse
        let shifted = (precision * .column(mean)).values.enumerated().map { $0.element + b[$0.offset] }
        return ((cov * .column(shifted)).values, cov)
    }

    /// A Gaussian's conditional of token n given x_<n: x_n ~ N(offset + gain·x_<n, covariance).
    struct Conditional {
        let gain: SmallMatrix, offset: [Double], covariance: SmallMatrix
        func mean(_ history: [Double]) -> [Double] {
            gain.cols == 0 ? offset : zip(offset, (gain * .column(Array(history.prefix(gain.cols)))).values).map { $0 + $1 }
        }
    }

    static func conditional(mean: [Double], covariance: SmallMatrix, n: Int) -> Conditional {
        let target = Array((n * width)..<((n + 1) * width)), given = Array(0..<(n * width))
        guard !given.isEmpty else {
            return Conditional(gain: SmallMatrix(rows: width, cols: 0), offset: target.map { mean[$0] },
                               covariance: covariance.picking(rows: target, cols: target))
        }
        let gain = covariance.picking(rows: target, cols: given) * covariance.picking(rows: given, cols: given).inverse
        let shift = (gain * .column(given.map { mean[$0] })).values
        return Conditional(gain: gain, offset: target.enumerated().map { mean[$0.element] - shift[$0.offset] },
                           covariance: covariance.picking(rows: target, cols: target) - gain * covariance.picking(rows: given, cols: target))
    }

    /// Everything about token n at one noise level (α, σ) that does not depend on the sample.
    /// The methods work on whole batches: histories (count, 4) with x_<n in front, noisy
    /// tokens y (count, 2), results (count, 2), all row-major.
    struct Level {
        let n: Int, t: Float, alpha: Double, sigma: Double
        let mu: Conditional, pi: Conditional
        /// (α²S + σ²I)⁻¹ of μ's and π's conditional: the noised marginals' precisions.
        let muPrecision: SmallMatrix, piPrecision: SmallMatrix
        /// Posterior of the whole x given (x_<n, y) under μ: mean = mean + gain·(o − E o).
        let posteriorGain: SmallMatrix, observedMean: [Double]

        /// For each row, `A·(y − α·(offset + gain·x_<n))`: the form every quantity below takes.
        private func apply(_ A: SmallMatrix, _ c: Conditional, histories: [Double], ys: [Double]) -> [Double] {
            let d = GaussianToy.width, count = ys.count / d
            var out = [Double](repeating: 0, count: count * d)
            for i in 0..<count {
                var r = [0.0, 0.0]
                for j in 0..<d {
                    var m = c.offset[j]
                    for k in 0..<c.gain.cols { m += c.gain[j, k] * histories[i * 4 + k] }
                    r[j] = ys[i * d + j] - alpha * m
                }
                for j in 0..<d { out[i * d + j] = A[j, 0] * r[0] + A[j, 1] * r[1] }
            }
            return out
        }

        /// E[x_n | x_<n, y] under μ (Tweedie): x̂₀ = m + α·S·P·(y − α·m), the toy's exact head.
        func denoised(histories: [Double], ys: [Double]) -> [Double] {
            let d = GaussianToy.width
            var out = apply(alpha * (mu.covariance * muPrecision), mu, histories: histories, ys: ys)
            for i in 0..<(ys.count / d) {
                for j in 0..<d {
                    var m = mu.offset[j]
                    for k in 0..<mu.gain.cols { m += mu.gain[j, k] * histories[i * 4 + k] }
                    out[i * d + j] += m
                }
            }
            return out
        }

        /// ∇_y V of the soft value: ∇ log π(y | x_<n) − ∇ log μ(y | x_<n) (Theorem 2).
        func softValueGradient(histories: [Double], ys: [Double]) -> [Double] {
            let s = apply(muPrecision, mu, histories: histories, ys: ys), sp = apply(piPrecision, pi, histories: histories, ys: ys)
            return zip(s, sp).map { $0 - $1 }
        }

        /// ∇_y E[r(x) | x_<n, y] = Kᵀ(b − Q·E[x | x_<n, y]), K the posterior mean's y-columns.
        func plainValueGradient(toy: GaussianToy, histories: [Double], ys: [Double]) -> [Double] {
            let d = GaussianToy.width, count = ys.count / d, observed = observedMean.count, given = n * d
            var out = [Double](repeating: 0, count: count * d)
            for i in 0..<count {
                let o = (0..<observed).map { ($0 < given ? histories[i * 4 + $0] : ys[i * d + $0 - given]) - observedMean[$0] }
                let posterior = (0..<4).map { x in toy.mean[x] + (0..<observed).reduce(0) { $0 + posteriorGain[x, $1] * o[$1] } }
                let residual = (0..<4).map { x in toy.b[x] - (0..<4).reduce(0) { $0 + toy.Q[x, $1] * posterior[$1] } }
                for j in 0..<d { out[i * d + j] = (0..<4).reduce(0) { $0 + posteriorGain[$1, given + j] * residual[$1] } }
            }
            return out
        }
    }

    func level(n: Int, t: Float) -> Level {
        let alpha = Double(NoiseSchedule.alpha(t)), sigma = Double(NoiseSchedule.sigma(t))
        let mu = Self.conditional(mean: mean, covariance: covariance, n: n)
        let (pm, pc) = tilted
        let pi = Self.conditional(mean: pm, covariance: pc, n: n)
        func precision(_ c: Conditional) -> SmallMatrix {
            ((alpha * alpha) * c.covariance + (sigma * sigma) * .identity(Self.width)).inverse
        }
        // Observations o = (x_<n, y) with y = α·x_n + σ·ε.
        let d = Self.width, given = Array(0..<(n * d)), target = Array((n * d)..<((n + 1) * d))
        let observed = given.count + d, all = Array(0..<(Self.tokens * d))
        func source(_ i: Int) -> (index: Int, scale: Double) { i < given.count ? (given[i], 1) : (target[i - given.count], alpha) }
        var ooCov = SmallMatrix(rows: observed, cols: observed), xoCov = SmallMatrix(rows: all.count, cols: observed)
        for i in 0..<observed {
            let (xi, si) = source(i)
            for j in 0..<observed {
                let (xj, sj) = source(j)
                ooCov[i, j] = covariance[xi, xj] * si * sj + (i == j && i >= given.count ? sigma * sigma : 0)
            }
            for x in all { xoCov[x, i] = covariance[x, xi] * si }
        }
        return Level(n: n, t: t, alpha: alpha, sigma: sigma, mu: mu, pi: pi, muPrecision: precision(mu), piPrecision: precision(pi),
                     posteriorGain: xoCov * ooCov.inverse,
                     observedMean: (0..<observed).map { let (x, s) = source($0); return mean[x] * s })
    }

    /// Exact samples of μ, as (count, 4) rows.
    func sample(count: Int, rng: inout RNG) -> [[Double]] {
        let L = covariance.cholesky
        return (0..<count).map { _ in
            let z = SmallMatrix.column((0..<4).map { _ in Double(rng.normal()) })
            return (L * z).values.enumerated().map { mean[$0.offset] + $0.element }
        }
    }
}
