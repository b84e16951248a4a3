import Foundation

/// Maps mel magnitudes back to linear-frequency magnitudes for Griffin-Lim.
///
/// Start from the ridge-regularised pseudo-inverse S₀ = Wᵀ (W Wᵀ + εI)⁻¹ mel (the minimum-norm
/// least-squares spectrum), clamp it to ≥ 0, then refine with multiplicative non-negative least
/// squares updates S ← S ⊙ (Wᵀ mel) / (Wᵀ W S), which keep S ≥ 0 and decrease ‖W S - mel‖².
/// The pseudo-inverse alone leaves negative lobes between filters; a few NNLS steps fix most.
public struct MelPseudoInverse: Sendable {
    public let filterbank: MelFilterbank
    /// (Wᵀ (W Wᵀ + εI)⁻¹)ᵀ, (M, F) row-major: stored transposed so that each frame's spectrum is
    /// a sum of M contiguous rows, a loop the compiler vectorises.
    let pseudoInverseTransposed: [Float]
    /// Multiplicative NNLS refinement steps after the pseudo-inverse.
    public var refinementSteps: Int

    /// Ridge ε relative to the mean diagonal of W Wᵀ: small enough not to bias, large enough that
    /// the Cholesky factorisation never meets a non-positive pivot.
    static let relativeRidge = 1e-6

    public init(filterbank: MelFilterbank, refinementSteps: Int = 10) {
        self.filterbank = filterbank
        self.refinementSteps = refinementSteps
        let m = filterbank.melCount, f = filterbank.binCount
        let w = filterbank.weights.map(Double.init)
        // Gram matrix G = W Wᵀ + εI, (M, M).
        var gram = [Double](repeating: 0, count: m * m)
        for i in 0..<m { for j in 0...i {
            var total = 0.0
            for k in 0..<f { total += w[i * f + k] * w[j * f + k] }
            gram[i * m + j] = total; gram[j * m + i] = total
        } }
        let ridge = Self.relativeRidge * (0..<m).map { gram[$0 * m + $0] }.reduce(0, +) / Double(m)
        for i in 0..<m { gram[i * m + i] += ridge }
        let inverse = Self.choleskyInverse(gram, size: m)
        // Pᵀ = (Wᵀ G⁻¹)ᵀ = G⁻¹ W (G symmetric), (M, F).
        var p = [Float](repeating: 0, count: m * f)
        for j in 0..<m { for k in 0..<f {
            var total = 0.0
            for i in 0..<m { total += inverse[j * m + i] * w[i * f + k] }
            p[j * f + k] = Float(total)
        } }
        pseudoInverseTransposed = p
    }

    /// Linear magnitudes (T, F) from mel magnitudes (T, M).
    public func linearMagnitude(fromMel mel: [Float], frameCount: Int) -> [Float] {
        let m = filterbank.melCount, f = filterbank.binCount
        precondition(mel.count == frameCount * m)
        var spectrum = [Float](repeating: 0, count: frameCount * f)
        spectrum.withUnsafeMutableBufferPointer { s in
            mel.withUnsafeBufferPointer { melBuffer in
                pseudoInverseTransposed.withUnsafeBufferPointer { p in
                    for t in 0..<frameCount {
                        let row = s.baseAddress! + t * f
                        for j in 0..<m {
                            let weight = melBuffer[t * m + j], column = p.baseAddress! + j * f
                            for k in 0..<f { row[k] += weight * column[k] }
                        }
                        for k in 0..<f { row[k] = max(row[k], 0) }
                    }
                }
            }
        }
        refine(&spectrum, mel: mel, frameCount: frameCount)
        return spectrum
    }

    /// Multiplicative NNLS updates, in place. A small positive start keeps zero bins revivable.
    private func refine(_ spectrum: inout [Float], mel: [Float], frameCount: Int) {
        guard refinementSteps > 0 else { return }
        let m = filterbank.melCount, f = filterbank.binCount
        let w = filterbank.weights, ranges = filterbank.ranges
        var target = [Float](repeating: 0, count: f)       // Wᵀ mel for one frame, (F,)
        var current = [Float](repeating: 0, count: m)      // W S for one frame, (M,)
        var denominator = [Float](repeating: 0, count: f)  // Wᵀ W S, (F,)
        let tiny: Float = 1e-12
        for t in 0..<frameCount {
            let melRow = t * m, specRow = t * f
            var peak: Float = 0
            for k in 0..<f { peak = max(peak, spectrum[specRow + k]) }
            for k in 0..<f { spectrum[specRow + k] = max(spectrum[specRow + k], 1e-4 * peak + tiny) }
            for k in 0..<f { target[k] = 0 }
            for j in 0..<m { for k in ranges[j] { target[k] += w[j * f + k] * mel[melRow + j] } }
            for _ in 0..<refinementSteps {
                for j in 0..<m {
                    var total: Float = 0
                    for k in ranges[j] { total += w[j * f + k] * spectrum[specRow + k] }
                    current[j] = total
                }
                for k in 0..<f { denominator[k] = 0 }
                for j in 0..<m { for k in ranges[j] { denominator[k] += w[j * f + k] * current[j] } }
                for k in 0..<f where denominator[k] > tiny {
                    spectrum[specRow + k] *= target[k] / denominator[k]
                }
            }
        }
    }

    /// Inverse of a symmetric positive-definite matrix by Cholesky factorisation, (n, n).
    static func choleskyInverse(_ a: [Double], size n: Int) -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0...i {
            var total = a[i * n + j]
            for k in 0..<j { total -= l[i * n + k] * l[j * n + k] }
            l[i * n + j] = i == j ? sqrt(max(total, 1e-300)) : total / l[j * n + j]
        } }
        var inverse = [Double](repeating: 0, count: n * n)
        for column in 0..<n {
            var y = [Double](repeating: 0, count: n)             // L y = e_column
            for i in 0..<n {
                var total = i == column ? 1.0 : 0.0
                for k in 0..<i { total -= l[i * n + k] * y[k] }
                y[i] = total / l[i * n + i]
            }
            for i in stride(from: n - 1, through: 0, by: -1) {   // Lᵀ x = y
                var total = y[i]
                for k in (i + 1)..<n { total -= l[k * n + i] * inverse[k * n + column] }
                inverse[i * n + column] = total / l[i * n + i]
            }
        }
        return inverse
    }
}
