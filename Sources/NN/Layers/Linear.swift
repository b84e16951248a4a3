/// Linear layer: `out (N, OC) = inp (N, C) · Wᵀ + b`, with `W (OC, C)` as in PyTorch.
///
/// N is the number of rows (batch × time flattened). Backward accumulates (`+=`) into
/// every gradient it is given; pass nil for gradients that are not wanted (e.g. `dinp`
/// of the first layer, or `dweight` of a frozen network whose input gradient guidance needs).
public func linearForward(
    out: FloatPointer, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
    N: Int, C: Int, OC: Int
) {
    matmul(out, inp, weight, M: N, N: OC, K: C, transB: true)
    if let bias {
        for n in 0..<N {
            let row = out + n * OC
            for o in 0..<OC { row[o] += bias[o] }
        }
    }
}

public func linearBackward(
    dinp: FloatPointer?, dweight: FloatPointer?, dbias: FloatPointer?,
    dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    N: Int, C: Int, OC: Int
) {
    // dinp (N, C) += dout (N, OC) · W (OC, C)
    if let dinp { matmul(dinp, dout, weight, M: N, N: C, K: OC, beta: 1) }
    // dW (OC, C) += doutᵀ (OC, N) · inp (N, C)
    if let dweight { matmul(dweight, dout, inp, M: OC, N: C, K: N, transA: true, beta: 1) }
    if let dbias {
        for n in 0..<N {
            let row = dout + n * OC
            for o in 0..<OC { dbias[o] += row[o] }
        }
    }
}
