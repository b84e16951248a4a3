import Foundation

/// Causal multi-head self-attention with RoPE over whole sequences (training, prefill).
///
/// Shapes: B sequences, T positions, C = NH·hd channels.
///   qkv (B, T, 3C)   the [q | k | v] projection of the input
///   qk  (B, T, 2C)   saved: q and k after rotation
///   att (B, NH, T, T) saved: softmax probabilities (upper triangle zero)
///   out (B, T, C)
/// Scores are `q·kᵀ/√hd`; position `t` attends keys `0...t`.
///
/// Alignment heads (DESIGN §6): with `textLengths` (B) given, the first `alignmentHeads` heads
/// let a speech query (t ≥ L_b) attend only the text keys `0..<L_b`. Without that mask a
/// decoder-only head escapes an alignment prior by attending speech keys.
public struct AttentionShape: Sendable {
    public let B: Int, T: Int, C: Int, NH: Int
    public var hd: Int { C / NH }
    public init(B: Int, T: Int, C: Int, NH: Int) {
        precondition(C % NH == 0, "channels \(C) not divisible by heads \(NH)")
        self.B = B; self.T = T; self.C = C; self.NH = NH
    }
    /// Floats of scratch `attentionBackward` needs: dqk (B, T, 2C) plus one (T, T) tile per worker.
    public var backwardScratchCount: Int { B * T * 2 * C + Parallel.workers * T * T }
}

public func attentionForward(
    out: FloatPointer, qk: FloatPointer, att: FloatPointer,
    qkv: UnsafePointer<Float>, positions: UnsafePointer<Int32>, rope: RoPETable, shape s: AttentionShape,
    textLengths: UnsafePointer<Int32>? = nil, alignmentHeads: Int = 0
) {
    let (B, T, C, NH, hd) = (s.B, s.T, s.C, s.NH, s.hd)
    rotateQueriesAndKeys(qk: qk, qkv: qkv, positions: positions, rope: rope, shape: s)
    let scale = 1 / Float(hd).squareRoot()
    Parallel.forEachItem(B * NH) { bh, _ in
        let (b, h) = (bh / NH, bh % NH)
        let q = qk + b * T * 2 * C + h * hd, k = q + C
        let v = qkv + b * T * 3 * C + 2 * C + h * hd
        let p = att + (b * NH + h) * T * T
        // p (T, T) = scale · q (T, hd) · kᵀ (hd, T)
        sgemmSerial(p, q, k, M: T, N: T, K: hd, transA: false, transB: true, lda: 2 * C, ldb: 2 * C, ldc: T, alpha: scale, beta: 0)
        let textOnlyFrom = textLengths != nil && h < alignmentHeads ? Int(textLengths![b]) : T
        for t in 0..<T { causalSoftmaxRow(p + t * T, valid: t >= textOnlyFrom ? textOnlyFrom : t + 1, width: T) }
        // out (T, hd) = p (T, T) · v (T, hd)
        sgemmSerial(out + b * T * C + h * hd, p, v, M: T, N: hd, K: T, transA: false, transB: false,
                    lda: T, ldb: 3 * C, ldc: C, alpha: 1, beta: 0)
    }
}

/// Softmax over the first `valid` entries of a row, zeroing the masked rest.
@inline(__always)
func causalSoftmaxRow(_ row: FloatPointer, valid: Int, width: Int) {
    var maxv = -Float.infinity
    for j in 0..<valid { maxv = max(maxv, row[j]) }
    var sum: Float = 0
    for j in 0..<valid { let e = fastExp(row[j] - maxv); row[j] = e; sum += e }
    let inv = 1 / sum
    for j in 0..<valid { row[j] *= inv }
    for j in valid..<width { row[j] = 0 }
}

/// Adds a loss's gradient w.r.t. the probabilities of head h of sequence b: `(b, h, p, dp)`,
/// p and dp (T, T). Called concurrently for different (b, h).
public typealias AttentionProbabilityGradient = @Sendable (_ b: Int, _ h: Int, _ p: UnsafePointer<Float>, _ dp: FloatPointer) -> Void

/// Backward: accumulates into `dqkv (B, T, 3C)`. `scratch` holds `shape.backwardScratchCount` floats.
/// Masked probabilities are 0, so the softmax backward needs no mask. `probabilityGradient`
/// adds the gradient of a loss on the probabilities themselves (the alignment prior).
public func attentionBackward(
    dqkv: FloatPointer, dout: UnsafePointer<Float>,
    qkv: UnsafePointer<Float>, qk: UnsafePointer<Float>, att: UnsafePointer<Float>,
    positions: UnsafePointer<Int32>, rope: RoPETable, shape s: AttentionShape, scratch: FloatPointer,
    probabilityGradient: AttentionProbabilityGradient? = nil
) {
    let (B, T, C, NH, hd) = (s.B, s.T, s.C, s.NH, s.hd)
    let dqk = scratch                    // (B, T, 2C): gradients of the rotated q and k
    let scale = 1 / Float(hd).squareRoot()
    Parallel.forEachItem(B * NH) { bh, worker in
        let (b, h) = (bh / NH, bh % NH)
        // (T, T) per worker: gradient of the probabilities, then of the scores.
        let dp = scratch + B * T * 2 * C + worker * T * T
        let q = qk + b * T * 2 * C + h * hd, k = q + C
        let v = qkv + b * T * 3 * C + 2 * C + h * hd
        let dq = dqk + b * T * 2 * C + h * hd, dk = dq + C
        let dv = dqkv + b * T * 3 * C + 2 * C + h * hd
        let p = att + (b * NH + h) * T * T
        let dy = dout + b * T * C + h * hd
        // dp (T, T) = dy (T, hd) · vᵀ ; dv (T, hd) += pᵀ · dy
        sgemmSerial(dp, dy, v, M: T, N: T, K: hd, transA: false, transB: true, lda: C, ldb: 3 * C, ldc: T, alpha: 1, beta: 0)
        sgemmSerial(dv, p, dy, M: T, N: hd, K: T, transA: true, transB: false, lda: T, ldb: C, ldc: 3 * C, alpha: 1, beta: 1)
        probabilityGradient?(b, h, p, dp)
        // Softmax backward: ds = p ⊙ (dp − Σⱼ dp·p), times the score scale.
        for t in 0..<T {
            let pr = p + t * T, dr = dp + t * T
            var dot: Float = 0
            for j in 0...t { dot += pr[j] * dr[j] }
            for j in 0...t { dr[j] = scale * pr[j] * (dr[j] - dot) }
            for j in (t + 1)..<T { dr[j] = 0 }
        }
        // dq (T, hd) = ds · k ; dk (T, hd) = dsᵀ · q
        sgemmSerial(dq, dp, k, M: T, N: hd, K: T, transA: false, transB: false, lda: T, ldb: 2 * C, ldc: 2 * C, alpha: 1, beta: 0)
        sgemmSerial(dk, dp, q, M: T, N: hd, K: T, transA: true, transB: false, lda: T, ldb: 2 * C, ldc: 2 * C, alpha: 1, beta: 0)
    }
    // Undo the rotation on the gradients and accumulate into dqkv's q and k parts.
    accumulateUnrotatedGradients(dqkv: dqkv, dqk: dqk, positions: positions, rope: rope, shape: s)
}
