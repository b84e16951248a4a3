/// Statistics pooling (x-vector): per sequence, the mean and standard deviation over its first
/// `lengths[b]` frames, concatenated into one fixed-size vector.
///
///   μ[b, c] = Σ_t x[b, t, c] / n_b
///   σ[b, c] = sqrt(Σ_t (x[b, t, c] − μ[b, c])² / n_b + ε)
///   out (B, 2C) = [μ | σ]
///
/// Frames at t ≥ n_b are padding and neither contribute nor receive gradient. ε keeps σ's
/// derivative finite on constant channels. Forward saves nothing beyond `out`: backward reads
/// μ and σ back from it.
public let statisticsPoolingEpsilon: Float = 1e-5

public func statisticsPoolingForward(
    out: FloatPointer, inp: UnsafePointer<Float>, lengths: UnsafePointer<Int32>, B: Int, T: Int, C: Int
) {
    for b in 0..<B {
        let n = Int(lengths[b])
        precondition(n > 0 && n <= T, "statistics pooling needs 1...\(T) frames, got \(n)")
        let mean = out + b * 2 * C, std = mean + C
        for c in 0..<C { mean[c] = 0; std[c] = 0 }
        for t in 0..<n {
            let x = inp + (b * T + t) * C
            for c in 0..<C { mean[c] += x[c] }
        }
        let inv = 1 / Float(n)
        for c in 0..<C { mean[c] *= inv }
        for t in 0..<n {
            let x = inp + (b * T + t) * C
            for c in 0..<C { let d = x[c] - mean[c]; std[c] += d * d }
        }
        for c in 0..<C { std[c] = (std[c] * inv + statisticsPoolingEpsilon).squareRoot() }
    }
}

/// dx[b, t, c] += dμ/n + dσ · (x − μ) / (n·σ)   (the mean's own dependence cancels: Σ(x − μ) = 0).
public func statisticsPoolingBackward(
    dinp: FloatPointer, dout: UnsafePointer<Float>, out: UnsafePointer<Float>, inp: UnsafePointer<Float>,
    lengths: UnsafePointer<Int32>, B: Int, T: Int, C: Int
) {
    for b in 0..<B {
        let n = Int(lengths[b]), inv = 1 / Float(n)
        let mean = out + b * 2 * C, std = mean + C
        let dmean = dout + b * 2 * C, dstd = dmean + C
        for t in 0..<n {
            let x = inp + (b * T + t) * C, dx = dinp + (b * T + t) * C
            for c in 0..<C { dx[c] += inv * (dmean[c] + dstd[c] * (x[c] - mean[c]) / std[c]) }
        }
    }
}
