/// Embedding lookup: `out (N, C) = table[ids[n]]`, with `table (V, C)`.
///
/// The input is a list of integer ids, so there is no input gradient; backward scatters
/// (accumulates) each row's gradient into its table row.
public func embeddingForward(out: FloatPointer, ids: UnsafePointer<Int32>, table: UnsafePointer<Float>, N: Int, C: Int) {
    for n in 0..<N {
        (out + n * C).update(from: table + Int(ids[n]) * C, count: C)
    }
}

public func embeddingBackward(dtable: FloatPointer, dout: UnsafePointer<Float>, ids: UnsafePointer<Int32>, N: Int, C: Int) {
    for n in 0..<N {
        let row = dtable + Int(ids[n]) * C
        let d = dout + n * C
        for c in 0..<C { row[c] += d[c] }
    }
}
