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
        // The optional gain and bias are resolved outside the loops: inside them the vectoriser
        // turns `weight?[c] ?? 1` into masked loads from address 0, each a microcode assist
        // (measured: layer norm went from 2% to 18% of sampling).
        if let weight, let bias {
            for c in 0..<C { y[c] = (x[c] - m) * r * weight[c] + bias[c] }
        } else if weight == nil && bias == nil {
            for c in 0..<C { y[c] = (x[c] - m) * r }
        } else {
            for c in 0..<C { y[c] = (x[c] - m) * r * (weight.map { $0[c] } ?? 1) + (bias.map { $0[c] } ?? 0) }
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
        if let weight {
            for c in 0..<C { let dxhat = dy[c] * weight[c]; meanD += dxhat; meanDX += dxhat * ((x[c] - m) * r) }
        } else {
            for c in 0..<C { meanD += dy[c]; meanDX += dy[c] * ((x[c] - m) * r) }
        }
        if let dweight { for c in 0..<C { dweight[c] += dy[c] * ((x[c] - m) * r) } }
        if let dbias { for c in 0..<C { dbias[c] += dy[c] } }
        meanD /= Float(C); meanDX /= Float(C)
        guard let dinp else { continue }
        let dx = dinp + n * C
        if let weight {
            for c in 0..<C { dx[c] += r * (dy[c] * weight[c] - meanD - (x[c] - m) * r * meanDX) }
        } else {
            for c in 0..<C { dx[c] += r * (dy[c] - meanD - (x[c] - m) * r * meanDX) }
        }
    }
}
