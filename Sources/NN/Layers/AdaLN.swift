/// adaLN modulation (DiT / MAR's diffusion head): per-row shift, scale and gate computed
/// from a conditioning vector.
///
/// `modulate`:  out (N, C) = x · (1 + scale) + shift
/// `gatedAdd`:  out (N, C) = residual + gate · h
/// shift, scale and gate are (N, C) with row stride `condStride` (they are usually slices of
/// one (N, 3C) Linear output, so the stride is 3C).
public func modulateForward(
    out: FloatPointer, x: UnsafePointer<Float>, shift: UnsafePointer<Float>, scale: UnsafePointer<Float>,
    N: Int, C: Int, condStride: Int
) {
    for n in 0..<N {
        let xr = x + n * C, yr = out + n * C, sh = shift + n * condStride, sc = scale + n * condStride
        for c in 0..<C { yr[c] = xr[c] * (1 + sc[c]) + sh[c] }
    }
}

public func modulateBackward(
    dx: FloatPointer?, dshift: FloatPointer?, dscale: FloatPointer?,
    dout: UnsafePointer<Float>, x: UnsafePointer<Float>, scale: UnsafePointer<Float>,
    N: Int, C: Int, condStride: Int
) {
    for n in 0..<N {
        let dy = dout + n * C, xr = x + n * C, sc = scale + n * condStride
        if let dx { let d = dx + n * C; for c in 0..<C { d[c] += dy[c] * (1 + sc[c]) } }
        if let dshift { let d = dshift + n * condStride; for c in 0..<C { d[c] += dy[c] } }
        if let dscale { let d = dscale + n * condStride; for c in 0..<C { d[c] += dy[c] * xr[c] } }
    }
}

public func gatedAddForward(
    out: FloatPointer, residual: UnsafePointer<Float>, h: UnsafePointer<Float>, gate: UnsafePointer<Float>,
    N: Int, C: Int, condStride: Int
) {
    for n in 0..<N {
        let r = residual + n * C, hr = h + n * C, g = gate + n * condStride, y = out + n * C
        for c in 0..<C { y[c] = r[c] + g[c] * hr[c] }
    }
}

public func gatedAddBackward(
    dresidual: FloatPointer?, dh: FloatPointer?, dgate: FloatPointer?,
    dout: UnsafePointer<Float>, h: UnsafePointer<Float>, gate: UnsafePointer<Float>,
    N: Int, C: Int, condStride: Int
) {
    for n in 0..<N {
        let dy = dout + n * C, hr = h + n * C, g = gate + n * condStride
        if let dresidual { let d = dresidual + n * C; for c in 0..<C { d[c] += dy[c] } }
        if let dh { let d = dh + n * C; for c in 0..<C { d[c] += dy[c] * g[c] } }
        if let dgate { let d = dgate + n * condStride; for c in 0..<C { d[c] += dy[c] * hr[c] } }
    }
}
