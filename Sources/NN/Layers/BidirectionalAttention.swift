import Foundation

/// Multi-head self-attention with RoPE where every position sees every valid position of its
/// sequence (an encoder, for recognition: a phoneme is told apart by what follows it too).
///
/// Same shapes and saved buffers as the causal `attentionForward`:
///   qkv (B, T, 3C) in, qk (B, T, 2C) saved rotated q and k, att (B, NH, T, T) saved
///   probabilities, out (B, T, C). `lengths (B)`: keys at t ≥ lengths[b] are padding and get
///   probability 0; padded query rows are computed (they attend the valid keys) and ignored
///   by whoever reads the output.
public func bidirectionalAttentionForward(
    out: FloatPointer, qk: FloatPointer, att: FloatPointer,
    qkv: UnsafePointer<Float>, positions: UnsafePointer<Int32>, lengths: UnsafePointer<Int32>,
    rope: RoPETable, shape s: AttentionShape
) {
    let (B, T, C, NH, hd) = (s.B, s.T, s.C, s.NH, s.hd)
    rotateQueriesAndKeys(qk: qk, qkv: qkv, positions: positions, rope: rope, shape: s)
    let scale = 1 / Float(hd).squareRoot()
    Parallel.forEachItem(B * NH) { bh, _ in
        let (b, h) = (bh / NH, bh % NH)
        let valid = Int(lengths[b])
        let q = qk + b * T * 2 * C + h * hd, k = q + C
        let v = qkv + b * T * 3 * C + 2 * C + h * hd
        let p = att + (b * NH + h) * T * T
        // p (T, T) = scale · q (T, hd) · kᵀ (hd, T), then softmax over the valid keys of each row.
        sgemmSerial(p, q, k, M: T, N: T, K: hd, transA: false, transB: true, lda: 2 * C, ldb: 2 * C, ldc: T, alpha: scale, beta: 0)
        for t in 0..<T { causalSoftmaxRow(p + t * T, valid: valid, width: T) }
        // out (T, hd) = p (T, T) · v (T, hd)
        sgemmSerial(out + b * T * C + h * hd, p, v, M: T, N: hd, K: T, transA: false, transB: false,
                    lda: T, ldb: 3 * C, ldc: C, alpha: 1, beta: 0)
    }
}

/// Backward: accumulates into `dqkv (B, T, 3C)`. `scratch` holds `shape.backwardScratchCount` floats.
public func bidirectionalAttentionBackward(
    dqkv: FloatPointer, dout: UnsafePointer<Float>,
    qkv: UnsafePointer<Float>, qk: UnsafePointer<Float>, att: UnsafePointer<Float>,
    positions: UnsafePointer<Int32>, lengths: UnsafePointer<Int32>, rope: RoPETable, shape s: AttentionShape,
    scratch: FloatPointer
) {
    let (B, T, C, NH, hd) = (s.B, s.T, s.C, s.NH, s.hd)
    let dqk = scratch                    // (B, T, 2C): gradients of the rotated q and k
    let scale = 1 / Float(hd).squareRoot()
    Parallel.forEachItem(B * NH) { bh, worker in
        let (b, h) = (bh / NH, bh % NH)
        let valid = Int(lengths[b])
        let dp = scratch + B * T * 2 * C + worker * T * T   // (T, T) per worker
        let q = qk + b * T * 2 * C + h * hd, k = q + C
        let v = qkv + b * T * 3 * C + 2 * C + h * hd
        let dq = dqk + b * T * 2 * C + h * hd, dk = dq + C
        let dv = dqkv + b * T * 3 * C + 2 * C + h * hd
        let p = att + (b * NH + h) * T * T
        let dy = dout + b * T * C + h * hd
        // dp (T, T) = dy (T, hd) · vᵀ ; dv (T, hd) += pᵀ · dy
        sgemmSerial(dp, dy, v, M: T, N: T, K: hd, transA: false, transB: true, lda: C, ldb: 3 * C, ldc: T, alpha: 1, beta: 0)
        sgemmSerial(dv, p, dy, M: T, N: hd, K: T, transA: true, transB: false, lda: T, ldb: C, ldc: 3 * C, alpha: 1, beta: 1)
        // Softmax backward over the valid keys: ds = p ⊙ (dp − Σⱼ dp·p), times the score scale.
        for t in 0..<T {
            let pr = p + t * T, dr = dp + t * T
            var dot: Float = 0
            for j in 0..<valid { dot += pr[j] * dr[j] }
            for j in 0..<valid { dr[j] = scale * pr[j] * (dr[j] - dot) }
            for j in valid..<T { dr[j] = 0 }
        }
        // dq (T, hd) = ds · k ; dk (T, hd) = dsᵀ · q
        sgemmSerial(dq, dp, k, M: T, N: hd, K: T, transA: false, transB: false, lda: T, ldb: 2 * C, ldc: 2 * C, alpha: 1, beta: 0)
        sgemmSerial(dk, dp, q, M: T, N: hd, K: T, transA: true, transB: false, lda: T, ldb: 2 * C, ldc: 2 * C, alpha: 1, beta: 0)
    }
    // Undo the rotation on the gradients and accumulate into dqkv's q and k parts.
    accumulateUnrotatedGradients(dqkv: dqkv, dqk: dqk, positions: positions, rope: rope, shape: s)
}
