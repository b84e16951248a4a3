import Foundation

/// Causal multi-head self-attention with RoPE over whole sequences (training, prefill).
///
/// Shapes: B sequences, T positions, C = NH·hd channels.
///   qkv (B, T, 3C)   the [q | k | v] projection of the input
///   qk  (B, T, 2C)   saved: q and k after rotation
///   att (B, NH, T, T) saved: softmax probabilities (upper triangle zero)
///   out (B, T, C)
/// Scores are `q·kᵀ/√hd`; position `t` attends keys `0...t`.
public struct AttentionShape: Sendable {
    public let B: Int, T: Int, C: Int, NH: Int
    public var hd: Int { C / NH }
    public init(B: Int, T: Int, C: Int, NH: Int) {
        precondition(C % NH == 0, "channels \(C) not divisible by heads \(NH)")
        self.B = B; self.T = T; self.C = C; self.NH = NH
    }
    /// Floats of scratch `attentionBackward` needs: dqk (B, T, 2C) plus one (T, T) tile.
    public var backwardScratchCount: Int { B * T * 2 * C + T * T }
}

public func attentionForward(
    out: FloatPointer, qk: FloatPointer, att: FloatPointer,
    qkv: UnsafePointer<Float>, positions: UnsafePointer<Int32>, rope: RoPETable, shape s: AttentionShape
) {
    let (B, T, C, NH, hd) = (s.B, s.T, s.C, s.NH, s.hd)
    // Rotate q and k into the saved buffer.
    for bt in 0..<(B * T) {
        let src = qkv + bt * 3 * C, dst = qk + bt * 2 * C
        dst.update(from: src, count: 2 * C)
        for h in 0..<NH {
            rope.rotate(dst + h * hd, position: Int(positions[bt]))
            rope.rotate(dst + C + h * hd, position: Int(positions[bt]))
        }
    }
    let scale = 1 / Float(hd).squareRoot()
    for b in 0..<B {
        for h in 0..<NH {
            let q = qk + b * T * 2 * C + h * hd, k = q + C
            let v = qkv + b * T * 3 * C + 2 * C + h * hd
            let p = att + (b * NH + h) * T * T
            // p (T, T) = scale · q (T, hd) · kᵀ (hd, T)
            matmul(p, q, k, M: T, N: T, K: hd, transB: true, lda: 2 * C, ldb: 2 * C, alpha: scale)
            for t in 0..<T { causalSoftmaxRow(p + t * T, valid: t + 1, width: T) }
            // out (T, hd) = p (T, T) · v (T, hd)
            matmul(out + b * T * C + h * hd, p, v, M: T, N: hd, K: T, ldb: 3 * C, ldc: C)
        }
    }
}

/// Softmax over the first `valid` entries of a row, zeroing the masked rest.
@inline(__always)
func causalSoftmaxRow(_ row: FloatPointer, valid: Int, width: Int) {
    var maxv = -Float.infinity
    for j in 0..<valid { maxv = max(maxv, row[j]) }
    var sum: Float = 0
    forEach16(valid) { j, lanes in
        let e = fastExp(load(row + j, lanes: lanes) - maxv)
        store(e, row + j, lanes: lanes)
        // Padding lanes hold exp(−maxv) garbage; sum only the real ones.
        if lanes == 16 { sum += e.sum() } else { for k in 0..<lanes { sum += e[k] } }
    }
    let inv = 1 / sum
    for j in 0..<valid { row[j] *= inv }
    for j in valid..<width { row[j] = 0 }
}

/// Backward: accumulates into `dqkv (B, T, 3C)`. `scratch` holds `shape.backwardScratchCount` floats.
public func attentionBackward(
    dqkv: FloatPointer, dout: UnsafePointer<Float>,
    qkv: UnsafePointer<Float>, qk: UnsafePointer<Float>, att: UnsafePointer<Float>,
    positions: UnsafePointer<Int32>, rope: RoPETable, shape s: AttentionShape, scratch: FloatPointer
) {
    let (B, T, C, NH, hd) = (s.B, s.T, s.C, s.NH, s.hd)
    let dqk = scratch                    // (B, T, 2C): gradients of the rotated q and k
    let dp = scratch + B * T * 2 * C     // (T, T): gradient of the probabilities, then of the scores
    let scale = 1 / Float(hd).squareRoot()
    for b in 0..<B {
        for h in 0..<NH {
            let q = qk + b * T * 2 * C + h * hd, k = q + C
            let v = qkv + b * T * 3 * C + 2 * C + h * hd
            let dq = dqk + b * T * 2 * C + h * hd, dk = dq + C
            let dv = dqkv + b * T * 3 * C + 2 * C + h * hd
            let p = att + (b * NH + h) * T * T
            let dy = dout + b * T * C + h * hd
            // dp (T, T) = dy (T, hd) · vᵀ ; dv (T, hd) += pᵀ · dy
            matmul(dp, dy, v, M: T, N: T, K: hd, transB: true, lda: C, ldb: 3 * C)
            matmul(dv, p, dy, M: T, N: hd, K: T, transA: true, ldb: C, ldc: 3 * C, beta: 1)
            // Softmax backward: ds = p ⊙ (dp − Σⱼ dp·p), times the score scale.
            for t in 0..<T {
                let pr = p + t * T, dr = dp + t * T
                var dot: Float = 0
                for j in 0...t { dot += pr[j] * dr[j] }
                for j in 0...t { dr[j] = scale * pr[j] * (dr[j] - dot) }
                for j in (t + 1)..<T { dr[j] = 0 }
            }
            // dq (T, hd) = ds · k ; dk (T, hd) = dsᵀ · q
            matmul(dq, dp, k, M: T, N: hd, K: T, ldb: 2 * C, ldc: 2 * C)
            matmul(dk, dp, q, M: T, N: hd, K: T, transA: true, ldb: 2 * C, ldc: 2 * C)
        }
    }
    // Undo the rotation on the gradients and accumulate into dqkv's q and k parts.
    for bt in 0..<(B * T) {
        let g = dqk + bt * 2 * C, dst = dqkv + bt * 3 * C
        for h in 0..<NH {
            rope.rotate(g + h * hd, position: Int(positions[bt]), inverse: true)
            rope.rotate(g + C + h * hd, position: Int(positions[bt]), inverse: true)
        }
        for c in 0..<(2 * C) { dst[c] += g[c] }
    }
}
