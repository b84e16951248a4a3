import ARDM
import NN
import GradientChecking
import Testing

@Suite struct DiffusionHeadTests {
    /// A small head (width 8, 2 blocks; input 5, condition 4) with every weight N(0, 0.5²), and
    /// the generator that drew them, for the test's own data.
    static func randomHead(outputWidth: Int, seed: UInt64) -> (DiffusionHead, ParameterSet, RNG) {
        var layout = Layout()
        let head = DiffusionHead(config: .init(width: 8, blocks: 2, timeFrequencies: 6), inputWidth: 5, conditionWidth: 4,
                                 outputWidth: outputWidth, prefix: "", layout: &layout)
        let params = ParameterSet(layout: layout)
        var rng = RNG(seed: seed)
        rng.fillNormal(params.values.base, count: params.values.count, std: 0.5)
        return (head, params, rng)
    }

    /// Finite differences of the head w.r.t. its noisy input, its LM-state input and every
    /// parameter tensor (with random, non-zero adaLN and output weights).
    @Test func headGradients() {
        let (head, params, drawn) = Self.randomHead(outputWidth: 3, seed: 1)
        var rng = drawn
        let N = 3
        let acts = HeadActivations(head: head, maxRows: N)
        let xt = Slab(count: N * 5), h = Slab(count: N * 4), dxt = Slab(count: N * 5), dh = Slab(count: N * 4)
        rng.fillNormal(xt.base, count: N * 5); rng.fillNormal(h.base, count: N * 4)
        let t: [Float] = [0.1, 0.5, 0.9]
        let out = Slab(count: N * 3)
        var tensors = params.layout.entries.map { e in
            CheckedTensor(name: e.name, value: params.values.pointer(at: e.offset), grad: params.grads.pointer(at: e.offset), count: e.count)
        }
        tensors.append(CheckedTensor(name: "xt", value: xt.base, grad: dxt.base, count: N * 5))
        tensors.append(CheckedTensor(name: "h", value: h.base, grad: dh.base, count: N * 4))
        checkGradients(tensors, output: out.base, outputCount: N * 3, eps: 1e-2, tolerance: 2e-2, maxProbes: 20) {
            head.forward(params, acts, xt: xt.base, t: t, h: h.base, N: N)
            out.base.update(from: acts.output, count: N * 3)
        } backward: { d in
            head.backward(params, acts, dout: d, xt: xt.base, h: h.base, dxt: dxt.base, dh: dh.base)
        }
    }

    /// Value guidance asks for the input gradient only: the same dxt, no parameter gradients.
    @Test func inputGradientWithoutParameterGradients() {
        let (head, params, drawn) = Self.randomHead(outputWidth: 1, seed: 2)
        var rng = drawn
        let acts = HeadActivations(head: head, maxRows: 2)
        let xt = Slab(count: 10), h = Slab(count: 8), ones = Slab(count: 2)
        rng.fillNormal(xt.base, count: 10); rng.fillNormal(h.base, count: 8)
        ones.base.update(repeating: 1, count: 2)
        let full = Slab(count: 10), only = Slab(count: 10)
        head.forward(params, acts, xt: xt.base, t: [0.3, 0.7], h: h.base, N: 2)
        head.backward(params, acts, dout: ones.base, xt: xt.base, h: h.base, dxt: full.base, dh: nil)
        params.zeroGrads()
        head.backward(params, acts, dout: ones.base, xt: xt.base, h: h.base, dxt: only.base, dh: nil, parameterGradients: false)
        #expect(full.toArray() == only.toArray())
        #expect(params.grads.toArray().allSatisfy { $0 == 0 })
    }

    /// The samplers' path: conditioning for several steps' rows in one pass, then the trunk on
    /// one step's rows, gives exactly the one-pass forward of those rows.
    @Test func precomputedConditioningEqualsForward() {
        let (head, params, drawn) = Self.randomHead(outputWidth: 3, seed: 2)
        var rng = drawn
        let steps = 3, N = 2
        let h = (0..<(steps * N * 4)).map { _ in rng.normal() }, xt = (0..<(N * 5)).map { _ in rng.normal() }
        let times: [Float] = (0..<steps).flatMap { k in Array(repeating: 0.9 - 0.3 * Float(k), count: N) }
        let conditioning = HeadConditioning(head: head, maxRows: steps * N)
        head.conditioningForward(params, conditioning, t: times, h: h, N: steps * N)
        let split = HeadActivations(head: head, maxRows: N), whole = HeadActivations(head: head, maxRows: N)
        for k in 0..<steps {
            head.trunkForward(params, split, xt: xt, N: N, conditioning: conditioning, row: k * N)
            head.forward(params, whole, xt: xt, t: Array(times[(k * N)..<((k + 1) * N)]), h: Array(h[(k * N * 4)..<((k + 1) * N * 4)]), N: N)
            #expect(Array(UnsafeBufferPointer(start: split.output, count: N * 3)) == Array(UnsafeBufferPointer(start: whole.output, count: N * 3)))
        }
    }

    /// `TokenConditioning` (the time MLP once per step, copied to the step's rows; the rest in
    /// chunks of the few-row kernel) gives exactly what a one-pass forward of each step's rows
    /// gives.
    @Test func tokenConditioningEqualsForward() {
        let (head, params, drawn) = Self.randomHead(outputWidth: 3, seed: 5)
        var rng = drawn
        let steps = 13, rows = 3   // 39 rows: two chunks of the kernel
        let states = (0..<(rows * 4)).map { _ in rng.normal() }, xt = (0..<(rows * 5)).map { _ in rng.normal() }
        let times = (0..<steps).map { 1 - Float($0) / Float(steps) }
        let conditioning = TokenConditioning(head: head, channels: 4, rowsPerStep: rows)
            .compute(params, states: states, rows: rows, times: times)
        let split = HeadActivations(head: head, maxRows: rows), whole = HeadActivations(head: head, maxRows: rows)
        for (k, t) in times.enumerated() {
            head.trunkForward(params, split, xt: xt, N: rows, conditioning: conditioning, row: k * rows)
            head.forward(params, whole, xt: xt, t: Array(repeating: t, count: rows), h: states, N: rows)
            #expect(Array(UnsafeBufferPointer(start: split.output, count: rows * 3)).map(\.bitPattern)
                    == Array(UnsafeBufferPointer(start: whole.output, count: rows * 3)).map(\.bitPattern), "step \(k)")
        }
    }
}
