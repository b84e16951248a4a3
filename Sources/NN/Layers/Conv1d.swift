/// 1-D convolution over time of a (B, T, C) sequence, as im2col + one GEMM.
///
///   out[b, u, o] = bias[o] + Σ_k Σ_c W[o, k, c] · x[b, u·S − P + k, c]
///
/// with kernel K, stride S, zero padding P on both ends, and To = (T + 2P − K) / S + 1 output
/// frames. `W (OC, K, C)` is stored as `(OC, K·C)`, the layout of one im2col row, so the whole
/// layer is `out (B·To, OC) = cols (B·To, K·C) · Wᵀ + b`. Channels-last keeps each of the K taps
/// a contiguous copy of C floats, and lets the same buffers feed Linear layers and attention.
public struct Conv1dShape: Sendable, Equatable {
    public let B: Int, T: Int, C: Int, OC: Int
    public let kernel: Int, stride: Int, padding: Int

    public init(B: Int, T: Int, C: Int, OC: Int, kernel: Int, stride: Int = 1, padding: Int = 0) {
        precondition(kernel > 0 && stride > 0 && padding >= 0, "conv1d needs kernel, stride > 0 and padding >= 0")
        precondition(T + 2 * padding >= kernel, "conv1d input of \(T) frames is shorter than its kernel \(kernel)")
        self.B = B; self.T = T; self.C = C; self.OC = OC
        self.kernel = kernel; self.stride = stride; self.padding = padding
    }

    /// Output frames To.
    public var outT: Int { Self.outputLength(T, kernel: kernel, stride: stride, padding: padding) }
    /// Floats of the im2col buffer, (B·To, K·C): saved by forward, read by backward.
    public var columnCount: Int { B * outT * kernel * C }

    /// Output frames for an input of `length` frames (also the valid length of a padded sequence).
    public static func outputLength(_ length: Int, kernel: Int, stride: Int, padding: Int) -> Int {
        max(0, (length + 2 * padding - kernel) / stride + 1)
    }
}

/// Forward: fills `columns (B·To, K·C)` (saved for backward) and writes `out (B, To, OC)`.
public func conv1dForward(
    out: FloatPointer, columns: FloatPointer,
    inp: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, shape s: Conv1dShape
) {
    let (K, C, To) = (s.kernel, s.C, s.outT)
    // im2col: row (b, u) holds the K input frames u·S − P ..< u·S − P + K, zeros outside [0, T).
    Parallel.forRanges(s.B * To, grain: 256) { rows in
        for row in rows {
            let (b, u) = (row / To, row % To)
            let dst = columns + row * K * C
            for k in 0..<K {
                let t = u * s.stride - s.padding + k
                if t >= 0 && t < s.T {
                    (dst + k * C).update(from: inp + (b * s.T + t) * C, count: C)
                } else {
                    (dst + k * C).update(repeating: 0, count: C)
                }
            }
        }
    }
    linearForward(out: out, inp: columns, weight: weight, bias: bias, N: s.B * To, C: K * C, OC: s.OC)
}

/// Backward: accumulates `dinp (B, T, C)`, `dweight (OC, K·C)` and `dbias (OC)` from
/// `dout (B, To, OC)`. `scratch` holds `shape.columnCount` floats (the im2col gradient).
public func conv1dBackward(
    dinp: FloatPointer?, dweight: FloatPointer?, dbias: FloatPointer?,
    dout: UnsafePointer<Float>, columns: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    shape s: Conv1dShape, scratch: FloatPointer
) {
    let (K, C, To) = (s.kernel, s.C, s.outT)
    guard let dinp else {
        linearBackward(dinp: nil, dweight: dweight, dbias: dbias, dout: dout, inp: columns, weight: weight,
                       N: s.B * To, C: K * C, OC: s.OC)
        return
    }
    // dcols (B·To, K·C) = dout · W, then col2im scatters each tap back onto its input frame.
    scratch.update(repeating: 0, count: s.columnCount)
    linearBackward(dinp: scratch, dweight: dweight, dbias: dbias, dout: dout, inp: columns, weight: weight,
                   N: s.B * To, C: K * C, OC: s.OC)
    // Sequences are independent, so workers split by b and never write the same input frame.
    Parallel.forRanges(s.B, grain: 1) { batch in
        for b in batch {
            for u in 0..<To {
                let src = scratch + (b * To + u) * K * C
                for k in 0..<K {
                    let t = u * s.stride - s.padding + k
                    guard t >= 0 && t < s.T else { continue }
                    let d = dinp + (b * s.T + t) * C, g = src + k * C
                    for c in 0..<C { d[c] += g[c] }
                }
            }
        }
    }
}

/// The obviously-correct direct convolution (tests compare `conv1dForward` with it).
public func conv1dReference(
    out: FloatPointer, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
    shape s: Conv1dShape
) {
    for b in 0..<s.B {
        for u in 0..<s.outT {
            for o in 0..<s.OC {
                var acc = Double(bias?[o] ?? 0)
                for k in 0..<s.kernel {
                    let t = u * s.stride - s.padding + k
                    guard t >= 0 && t < s.T else { continue }
                    for c in 0..<s.C {
                        acc += Double(weight[(o * s.kernel + k) * s.C + c]) * Double(inp[(b * s.T + t) * s.C + c])
                    }
                }
                out[(b * s.outT + u) * s.OC + o] = Float(acc)
            }
        }
    }
}
