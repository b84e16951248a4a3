import Foundation

/// Pointwise activations, each a forward/backward pair over `count` elements.

private let geluScale: Float = 0.7978845608 // sqrt(2/π), the tanh approximation of GELU

/// GELU (tanh approximation): `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`.
/// Elements per worker below which pointwise layers run on the calling thread.
let pointwiseGrain = 32_768

public func geluForward(out: FloatPointer, inp: UnsafePointer<Float>, count: Int) {
    Parallel.forRanges(count, grain: pointwiseGrain) { range in
        for i in range {
            let x = inp[i]
            out[i] = 0.5 * x * (1 + fastTanh(geluScale * (x + 0.044715 * x * x * x)))
        }
    }
}

public func geluBackward(dinp: FloatPointer, dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, count: Int) {
    Parallel.forRanges(count, grain: pointwiseGrain) { range in
        for i in range {
            let x = inp[i]
            let th = fastTanh(geluScale * (x + 0.044715 * x * x * x))
            let du = geluScale * (1 + 3 * 0.044715 * x * x)
            dinp[i] += dout[i] * (0.5 * (1 + th) + 0.5 * x * (1 - th * th) * du)
        }
    }
}

@inline(__always) func sigmoid(_ x: Float) -> Float { fastSigmoid(x) }

/// SiLU: `x·σ(x)`.
public func siluForward(out: FloatPointer, inp: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { out[i] = inp[i] * sigmoid(inp[i]) }
}

public func siluBackward(dinp: FloatPointer, dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, count: Int) {
    for i in 0..<count {
        let s = sigmoid(inp[i])
        dinp[i] += dout[i] * s * (1 + inp[i] * (1 - s))
    }
}

/// SwiGLU gate: `out (N, H) = silu(a) · b`, where `inp (N, 2H)` holds `[a | b]` per row
/// (one Linear produces both halves, so one GEMM feeds the gate).
public func swigluForward(out: FloatPointer, inp: UnsafePointer<Float>, N: Int, H: Int) {
    for n in 0..<N {
        let a = inp + n * 2 * H, b = a + H, y = out + n * H
        for h in 0..<H { y[h] = a[h] * sigmoid(a[h]) * b[h] }
    }
}

public func swigluBackward(dinp: FloatPointer, dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, N: Int, H: Int) {
    for n in 0..<N {
        let a = inp + n * 2 * H, b = a + H, dy = dout + n * H
        let da = dinp + n * 2 * H, db = da + H
        for h in 0..<H {
            let s = sigmoid(a[h])
            let silu = a[h] * s
            db[h] += dy[h] * silu
            da[h] += dy[h] * b[h] * s * (1 + a[h] * (1 - s))
        }
    }
}
