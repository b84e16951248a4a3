/// RMSNorm: `out = x / sqrt(mean(x²) + ε) · g` per row, with an optional gain `g (C)`.
///
/// Forward saves the reciprocal RMS `rstd (N)`, exactly what backward needs.
public let normEpsilon: Float = 1e-5

public func rmsNormForward(
    out: FloatPointer, rstd: FloatPointer, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>?, N: Int, C: Int
) {
    Parallel.forRanges(N, grain: pointwiseGrain / C) { rows in
        for n in rows {
            let x = inp + n * C, y = out + n * C
            var ss: Float = 0
            for c in 0..<C { ss += x[c] * x[c] }
            let r = 1 / (ss / Float(C) + normEpsilon).squareRoot()
            rstd[n] = r
            if let weight {
                for c in 0..<C { y[c] = x[c] * r * weight[c] }
            } else {
                for c in 0..<C { y[c] = x[c] * r }
            }
        }
    }
}

/// With x̂ = x·r: dx = r·(dx̂ − x̂·mean(dx̂·x̂)), where dx̂ = dout·g.
public func rmsNormBackward(
    dinp: FloatPointer?, dweight: FloatPointer?,
    dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>?, rstd: UnsafePointer<Float>,
    N: Int, C: Int
) {
    // The gain's gradient sums over rows: one serial pass, so workers never share an accumulator.
    if let dweight {
        for n in 0..<N {
            let x = inp + n * C, dy = dout + n * C, r = rstd[n]
            for c in 0..<C { dweight[c] += dy[c] * x[c] * r }
        }
    }
    guard let dinp else { return }
    Parallel.forRanges(N, grain: pointwiseGrain / C) { rows in
        for n in rows {
            let x = inp + n * C, dy = dout + n * C, r = rstd[n], dx = dinp + n * C
            var dot: Float = 0
            if let weight {
                for c in 0..<C { dot += dy[c] * weight[c] * x[c] }
                let k = dot * r * r / Float(C)
                for c in 0..<C { dx[c] += r * (dy[c] * weight[c] - x[c] * k) }
            } else {
                for c in 0..<C { dot += dy[c] * x[c] }
                let k = dot * r * r / Float(C)
                for c in 0..<C { dx[c] += r * (dy[c] - x[c] * k) }
            }
        }
    }
}
