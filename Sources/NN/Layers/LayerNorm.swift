/// LayerNorm: `out = (x − mean) / sqrt(var + ε) · g + b` per row; `g, b (C)` optional
/// (the diffusion head's adaLN blocks use it without affine, modulation supplies scale/shift).
///
/// Forward saves `mean (N)` and `rstd (N)`.
public func layerNormForward(
    out: FloatPointer, mean: FloatPointer, rstd: FloatPointer,
    inp: UnsafePointer<Float>, weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?, N: Int, C: Int
) {
    for n in 0..<N {
        let x = inp + n * C, y = out + n * C
        var s: Float = 0
        for c in 0..<C { s += x[c] }
        let m = s / Float(C)
        var v: Float = 0
        for c in 0..<C { let d = x[c] - m; v += d * d }
        let r = 1 / (v / Float(C) + normEpsilon).squareRoot()
        mean[n] = m; rstd[n] = r
        for c in 0..<C {
            let xhat = (x[c] - m) * r
            y[c] = xhat * (weight?[c] ?? 1) + (bias?[c] ?? 0)
        }
    }
}

/// dx = r·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)), with dx̂ = dout·g.
public func layerNormBackward(
    dinp: FloatPointer?, dweight: FloatPointer?, dbias: FloatPointer?,
    dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>?,
    mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, N: Int, C: Int
) {
    for n in 0..<N {
        let x = inp + n * C, dy = dout + n * C, m = mean[n], r = rstd[n]
        var meanD: Float = 0, meanDX: Float = 0
        for c in 0..<C {
            let xhat = (x[c] - m) * r
            let dxhat = dy[c] * (weight?[c] ?? 1)
            meanD += dxhat; meanDX += dxhat * xhat
            dweight?[c] += dy[c] * xhat
            dbias?[c] += dy[c]
        }
        meanD /= Float(C); meanDX /= Float(C)
        guard let dinp else { continue }
        let dx = dinp + n * C
        for c in 0..<C {
            let xhat = (x[c] - m) * r
            dx[c] += r * (dy[c] * (weight?[c] ?? 1) - meanD - xhat * meanDX)
        }
    }
}
