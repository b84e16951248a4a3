/// Mean squared error over `count` elements: `L = Σ (pred − target)² / count`.
public func mseLossForward(pred: UnsafePointer<Float>, target: UnsafePointer<Float>, count: Int) -> Float {
    var s = 0.0
    for i in 0..<count { let d = Double(pred[i] - target[i]); s += d * d }
    return Float(s / Double(count))
}

/// `dpred += scale · 2(pred − target)/count`; `scale` weights this loss inside a sum of losses.
public func mseLossBackward(
    dpred: FloatPointer, pred: UnsafePointer<Float>, target: UnsafePointer<Float>, count: Int, scale: Float = 1
) {
    let k = 2 * scale / Float(count)
    for i in 0..<count { dpred[i] += k * (pred[i] - target[i]) }
}
