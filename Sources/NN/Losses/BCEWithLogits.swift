import Foundation

/// Binary cross-entropy on logits, mean over `count`: `L = mean(max(x,0) − x·y + log(1 + e^−|x|))`,
/// the overflow-free form of `−y·log σ(x) − (1−y)·log(1 − σ(x))`.
public func bceWithLogitsForward(logits: UnsafePointer<Float>, targets: UnsafePointer<Float>, count: Int) -> Float {
    var s = 0.0
    for i in 0..<count {
        let x = logits[i], y = targets[i]
        s += Double(max(x, 0) - x * y + log1pf(expf(-abs(x))))
    }
    return Float(s / Double(count))
}

/// `dlogits += scale · (σ(x) − y)/count`.
public func bceWithLogitsBackward(
    dlogits: FloatPointer, logits: UnsafePointer<Float>, targets: UnsafePointer<Float>, count: Int, scale: Float = 1
) {
    let k = scale / Float(count)
    for i in 0..<count { dlogits[i] += k * (sigmoid(logits[i]) - targets[i]) }
}
