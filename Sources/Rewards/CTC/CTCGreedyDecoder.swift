/// Best-path (greedy) CTC decoding: the most probable class of each frame, repeats collapsed,
/// blanks dropped. `(a a ∅ a b b)` → `(a a b)`: a blank between two equal classes keeps both.
///
/// `logits (T, V)` with row stride `V`; softmax is monotonic, so the argmax of the logits is
/// the argmax of the posteriors.
public func ctcGreedyDecode(logits: UnsafePointer<Float>, T: Int, V: Int, blank: Int32) -> [Int32] {
    var frameClasses = [Int32](repeating: blank, count: T)
    for t in 0..<T {
        let row = logits + t * V
        var best = 0
        for v in 1..<V where row[v] > row[best] { best = v }
        frameClasses[t] = Int32(best)
    }
    return ctcCollapse(frameClasses, blank: blank)
}

/// The CTC many-to-one map B: merge runs of equal classes, then remove blanks.
public func ctcCollapse(_ frameClasses: [Int32], blank: Int32) -> [Int32] {
    var result: [Int32] = []
    var previous: Int32? = nil
    for c in frameClasses {
        if c != previous && c != blank { result.append(c) }
        previous = c
    }
    return result
}
