/// Residual connection: `out = a + b`. Backward passes the same gradient to both inputs.
public func residualForward(out: FloatPointer, a: UnsafePointer<Float>, b: UnsafePointer<Float>, count: Int) {
    Parallel.forRanges(count, grain: pointwiseGrain) { range in
        for i in range { out[i] = a[i] + b[i] }
    }
}

public func residualBackward(da: FloatPointer?, db: FloatPointer?, dout: UnsafePointer<Float>, count: Int) {
    if let da { for i in 0..<count { da[i] += dout[i] } }
    if let db { for i in 0..<count { db[i] += dout[i] } }
}
