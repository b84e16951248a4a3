import NN
import Testing

/// Finite-difference gradient checks shared by the test targets of every module with a backward
/// pass (NN layers, the ARDM, reward models).

/// A tensor under test: a value and its gradient, anywhere in memory (a test's own buffer or a
/// view into a model's parameter slabs).
public struct CheckedTensor {
    public let name: String
    public let value: FloatPointer, grad: FloatPointer
    public let count: Int
    public init(name: String, value: FloatPointer, grad: FloatPointer, count: Int) {
        self.name = name; self.value = value; self.grad = grad; self.count = count
    }
}

/// A buffer owned by a test, with its gradient.
public final class Param {
    public let value: Slab, grad: Slab
    public let checked: CheckedTensor
    public init(_ name: String, count: Int, rng: inout RNG, std: Float = 1) {
        value = Slab(count: count); grad = Slab(count: count)
        rng.fillNormal(value.base, count: count, std: std)
        checked = CheckedTensor(name: name, value: value.base, grad: grad.base, count: count)
    }
    public var p: FloatPointer { value.base }
    public var g: FloatPointer { grad.base }
}

/// Finite-difference check of a backward pass.
///
/// The scalar probed is `L = Σ out ⊙ r` for a fixed random `r`, so `dL/dout = r`.
/// `forward` recomputes the `outputCount` floats at `output` from the current values;
/// `backward(r)` must accumulate `dL/dx` into every tensor's gradient (zeroed here first).
/// Central differences with step `eps`, summed in Double; per tensor the check is the relative
/// error ‖g_analytic − g_numeric‖ / (‖g_analytic‖ + ‖g_numeric‖) over up to `maxProbes`
/// evenly spread entries, which a wrong backward (sign, factor, missing term) pushes far above
/// `tolerance`. A gradient that is identically zero fails too.
public func checkGradients(
    _ tensors: [CheckedTensor], output: FloatPointer, outputCount n: Int,
    eps: Float = 1e-2, tolerance: Double = 1e-2, maxProbes: Int = 64,
    forward: () -> Void, backward: (UnsafePointer<Float>) -> Void,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    var rng = RNG(seed: 99)
    let r = Slab(count: n)
    rng.fillNormal(r.base, count: n)
    func loss() -> Double {
        forward()
        var s = 0.0
        for i in 0..<n { s += Double(output[i]) * Double(r.base[i]) }
        return s
    }
    for t in tensors { t.grad.update(repeating: 0, count: t.count) }
    _ = loss()
    backward(r.base)
    let analytic = tensors.map { Array(UnsafeBufferPointer(start: $0.grad, count: $0.count)) }
    for (k, t) in tensors.enumerated() {
        var diff = 0.0, normA = 0.0, normN = 0.0
        for i in stride(from: 0, to: t.count, by: max(1, t.count / maxProbes)) {
            let saved = t.value[i]
            t.value[i] = saved + eps
            let lp = loss()
            t.value[i] = saved - eps
            let lm = loss()
            t.value[i] = saved
            let numeric = (lp - lm) / (2 * Double(eps)), a = Double(analytic[k][i])
            diff += (numeric - a) * (numeric - a)
            normA += a * a
            normN += numeric * numeric
        }
        let rel = diff.squareRoot() / max(normA.squareRoot() + normN.squareRoot(), 1e-12)
        #expect(rel < tolerance, "gradient of \(t.name): relative error \(rel)", sourceLocation: sourceLocation)
        #expect(normA > 0, "gradient of \(t.name) is identically zero", sourceLocation: sourceLocation)
    }
    _ = loss()
}

/// The common case: a layer writing into a test-owned output slab.
public func checkGradients(
    _ params: [Param], output: Slab, eps: Float = 1e-2, tolerance: Double = 1e-2, maxProbes: Int = 64,
    forward: () -> Void, backward: (UnsafePointer<Float>) -> Void,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    checkGradients(params.map(\.checked), output: output.base, outputCount: output.count, eps: eps, tolerance: tolerance,
                   maxProbes: maxProbes, forward: forward, backward: backward, sourceLocation: sourceLocation)
}

/// A whole training step that accumulates the gradient of its scalar loss into a model's
/// `params.grads` (its randomness fixed inside `step`): every tensor not `skipping`, probed at
/// up to `maxProbes` entries each.
public func checkStepGradients(
    _ params: ParameterSet, skipping: (String) -> Bool = { _ in false }, eps: Float = 1e-2, tolerance: Double = 3e-2,
    maxProbes: Int = 6, step: @escaping () -> Float, sourceLocation: SourceLocation = #_sourceLocation
) {
    let loss = Slab(count: 1)
    let tensors = params.layout.entries.filter { !skipping($0.name) }.map {
        CheckedTensor(name: $0.name, value: params.values.pointer(at: $0.offset), grad: params.grads.pointer(at: $0.offset),
                      count: $0.count)
    }
    checkGradients(tensors, output: loss.base, outputCount: 1, eps: eps, tolerance: tolerance, maxProbes: maxProbes,
                   forward: { params.zeroGrads(); loss.base[0] = step() },
                   backward: { r in for i in 0..<params.grads.count { params.grads.base[i] *= r[0] } },
                   sourceLocation: sourceLocation)
}
