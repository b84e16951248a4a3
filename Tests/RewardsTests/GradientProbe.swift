import NN
import Testing

/// A buffer under a gradient check: values and gradient, anywhere in memory.
struct ProbedTensor {
    let name: String
    let value: FloatPointer, grad: FloatPointer
    let count: Int
}

/// Central-difference check of a backward pass. The probed scalar is `L = Σ out ⊙ r` with a
/// fixed random `r` (so `dL/dout = r`); `backward(r)` must accumulate dL/dx into each tensor's
/// gradient (zeroed here first). Per tensor, the relative error
/// ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖) over up to `probes` evenly spread entries
/// must stay under `tolerance`, and the analytic gradient must not be all zero.
func expectGradientsMatch(
    _ tensors: [ProbedTensor], output: UnsafePointer<Float>, outputCount: Int,
    step: Float = 1e-2, tolerance: Double = 1e-2, probes: Int = 48,
    forward: () -> Void, backward: (UnsafePointer<Float>) -> Void,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    var rng = RNG(seed: 7)
    let weights = Slab(count: outputCount)
    rng.fillNormal(weights.base, count: outputCount)
    func probe() -> Double {
        forward()
        var sum = 0.0
        for i in 0..<outputCount { sum += Double(output[i]) * Double(weights.base[i]) }
        return sum
    }
    for t in tensors { t.grad.update(repeating: 0, count: t.count) }
    _ = probe()
    backward(weights.base)
    for t in tensors {
        let analytic = Array(UnsafeBufferPointer(start: t.grad, count: t.count))
        var diff = 0.0, normA = 0.0, normN = 0.0
        for i in stride(from: 0, to: t.count, by: max(1, t.count / probes)) {
            let saved = t.value[i]
            t.value[i] = saved + step
            let up = probe()
            t.value[i] = saved - step
            let down = probe()
            t.value[i] = saved
            let numeric = (up - down) / (2 * Double(step)), a = Double(analytic[i])
            diff += (numeric - a) * (numeric - a); normA += a * a; normN += numeric * numeric
        }
        let relative = diff.squareRoot() / max(normA.squareRoot() + normN.squareRoot(), 1e-12)
        #expect(relative < tolerance, "gradient of \(t.name): relative error \(relative)", sourceLocation: sourceLocation)
        #expect(normA > 0, "gradient of \(t.name) is all zero", sourceLocation: sourceLocation)
    }
    _ = probe()
}

/// A test-owned tensor with a gradient, filled N(0, std²).
final class TestTensor {
    let value: Slab, grad: Slab
    let name: String
    init(_ name: String, count: Int, rng: inout RNG, std: Float = 1) {
        self.name = name
        value = Slab(count: count); grad = Slab(count: count)
        rng.fillNormal(value.base, count: count, std: std)
    }
    var p: FloatPointer { value.base }
    var g: FloatPointer { grad.base }
    var probed: ProbedTensor { ProbedTensor(name: name, value: value.base, grad: grad.base, count: value.count) }
}
