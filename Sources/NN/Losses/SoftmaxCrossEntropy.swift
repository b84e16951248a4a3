import Foundation

/// Softmax cross-entropy over rows: logits (N, V), targets (N) class ids; a negative target
/// marks a row to ignore (padding). `L = mean over kept rows of −log softmax(logits)[target]`.
///
/// Forward saves the probabilities `probs (N, V)`; backward needs nothing else.
public let ignoreTarget: Int32 = -1

public func softmaxCrossEntropyForward(
    probs: FloatPointer, logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>, N: Int, V: Int
) -> Float {
    var loss = 0.0
    var kept = 0
    for n in 0..<N {
        let x = logits + n * V, p = probs + n * V
        var maxv = -Float.infinity
        for v in 0..<V { maxv = max(maxv, x[v]) }
        var sum: Float = 0
        for v in 0..<V { p[v] = expf(x[v] - maxv); sum += p[v] }
        let inv = 1 / sum
        for v in 0..<V { p[v] *= inv }
        let y = targets[n]
        if y >= 0 {
            precondition(Int(y) < V, "target \(y) outside vocabulary of \(V)")
            loss -= Double(logf(max(p[Int(y)], .leastNormalMagnitude)))
            kept += 1
        }
    }
    return kept == 0 ? 0 : Float(loss / Double(kept))
}

/// `dlogits += scale · (probs − onehot(target)) / kept`, zero for ignored rows.
public func softmaxCrossEntropyBackward(
    dlogits: FloatPointer, probs: UnsafePointer<Float>, targets: UnsafePointer<Int32>, N: Int, V: Int, scale: Float = 1
) {
    var kept = 0
    for n in 0..<N where targets[n] >= 0 { kept += 1 }
    guard kept > 0 else { return }
    let k = scale / Float(kept)
    for n in 0..<N {
        let y = targets[n]
        guard y >= 0 else { continue }
        let p = probs + n * V, d = dlogits + n * V
        for v in 0..<V { d[v] += k * p[v] }
        d[Int(y)] -= k
    }
}
