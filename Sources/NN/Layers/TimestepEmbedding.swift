import Foundation

/// Sinusoidal timestep embedding (DDPM / DiT): for t (N) and D = 2·half,
/// `out[n, i] = cos(t·fᵢ)`, `out[n, half + i] = sin(t·fᵢ)`, `fᵢ = maxPeriod^(−i/half)`.
///
/// t is the diffusion time scaled to [0, timeScale] (DiT feeds 0..1000). Backward gives
/// dt, which value guidance never needs but gradient checks of a full head can use.
public let timestepMaxPeriod: Float = 10_000

public func timestepEmbeddingForward(out: FloatPointer, t: UnsafePointer<Float>, N: Int, D: Int) {
    precondition(D % 2 == 0, "timestep embedding width must be even")
    let half = D / 2
    for n in 0..<N {
        let row = out + n * D
        for i in 0..<half {
            let f = expf(-logf(timestepMaxPeriod) * Float(i) / Float(half))
            row[i] = cosf(t[n] * f)
            row[half + i] = sinf(t[n] * f)
        }
    }
}

public func timestepEmbeddingBackward(dt: FloatPointer, dout: UnsafePointer<Float>, t: UnsafePointer<Float>, N: Int, D: Int) {
    let half = D / 2
    for n in 0..<N {
        let row = dout + n * D
        var acc: Float = 0
        for i in 0..<half {
            let f = expf(-logf(timestepMaxPeriod) * Float(i) / Float(half))
            acc += row[i] * -sinf(t[n] * f) * f + row[half + i] * cosf(t[n] * f) * f
        }
        dt[n] += acc
    }
}
