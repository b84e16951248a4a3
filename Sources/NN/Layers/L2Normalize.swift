/// Row-wise L2 normalisation: `out (N, C) = x / ‖x‖`, with ‖x‖ floored at `l2NormalizeFloor`.
///
/// Used for cosine similarity and the angular-margin softmax (embeddings and class centres
/// live on the unit sphere). Forward saves the norms `norms (N)`.
public let l2NormalizeFloor: Float = 1e-6

public func l2NormalizeForward(out: FloatPointer, norms: FloatPointer, inp: UnsafePointer<Float>, N: Int, C: Int) {
    for n in 0..<N {
        let x = inp + n * C, y = out + n * C
        var ss: Float = 0
        for c in 0..<C { ss += x[c] * x[c] }
        let norm = max(ss.squareRoot(), l2NormalizeFloor)
        norms[n] = norm
        let inv = 1 / norm
        for c in 0..<C { y[c] = x[c] * inv }
    }
}

/// dx += (dy − y·(y·dy)) / ‖x‖: the projection of dy onto the sphere's tangent plane, scaled.
public func l2NormalizeBackward(
    dinp: FloatPointer, dout: UnsafePointer<Float>, out: UnsafePointer<Float>, norms: UnsafePointer<Float>, N: Int, C: Int
) {
    for n in 0..<N {
        let y = out + n * C, dy = dout + n * C, dx = dinp + n * C
        var dot: Float = 0
        for c in 0..<C { dot += y[c] * dy[c] }
        let inv = 1 / norms[n]
        for c in 0..<C { dx[c] += inv * (dy[c] - y[c] * dot) }
    }
}
