import NN
import GradientChecking
import Testing

@Suite struct TransformerTests {
    static func tinyModel(mlp: TransformerConfig.MLPKind, maxB: Int = 2, maxT: Int = 6)
        -> (CausalTransformer, ParameterSet, TransformerActivations) {
        let config = TransformerConfig(channels: 8, layers: 2, heads: 2, mlp: mlp, mlpHidden: 12, maxPositions: 32)
        var layout = Layout()
        let model = CausalTransformer(config: config, prefix: "", layout: &layout)
        let params = ParameterSet(layout: layout)
        var rng = RNG(seed: 5)
        model.initialize(params, &rng)
        // Larger weights than the 0.02 init so every path carries a visible gradient.
        rng.fillNormal(params.values.base, count: params.values.count, std: 0.4)
        return (model, params, TransformerActivations(config: config, maxB: maxB, maxT: maxT))
    }

    /// The whole block stack: gradient w.r.t. the input embeddings and every parameter tensor.
    @Test(arguments: [TransformerConfig.MLPKind.gelu, .swiglu])
    func stackGradients(mlp: TransformerConfig.MLPKind) {
        let (model, params, acts) = Self.tinyModel(mlp: mlp)
        let (B, T, C) = (2, 6, 8)
        var rng = RNG(seed: 6)
        let x = Param("input", count: B * T * C, rng: &rng)
        let positions = (0..<(B * T)).map { Int32($0 % T) }
        let out = Slab(count: B * T * C)
        // Parameters are checked through views that alias the model's slabs.
        let tensors = params.layout.entries.map { e in
            CheckedTensor(name: e.name, value: params.values.pointer(at: e.offset), grad: params.grads.pointer(at: e.offset), count: e.count)
        }
        checkGradients(tensors + [x.checked], output: out.base, outputCount: B * T * C, tolerance: 2e-2, maxProbes: 24) {
            acts.input.update(from: x.p, count: B * T * C)
            model.forward(params, acts, B: B, T: T, positions: positions)
            out.base.update(from: acts.output, count: B * T * C)
        } backward: { d in
            model.backward(params, acts, dout: d)
            for i in 0..<(B * T * C) { x.g[i] += acts.inputGradient[i] }
        }
    }

    /// Decoding token by token with the KV cache (several sequences at once, different
    /// lengths, one of them prefilled) gives the hidden states of the whole-sequence forward.
    @Test func kvCacheMatchesFullSequence() {
        let (model, params, acts) = Self.tinyModel(mlp: .gelu, maxB: 1, maxT: 7)
        let C = 8
        var rng = RNG(seed: 7)
        let lengths = [7, 5, 6]
        let inputs = lengths.map { t -> [Float] in (0..<(t * C)).map { _ in rng.normal() } }
        // Reference: full forward of each sequence alone.
        var reference: [[Float]] = []
        for (s, t) in lengths.enumerated() {
            inputs[s].withUnsafeBufferPointer { acts.input.update(from: $0.baseAddress!, count: t * C) }
            model.forward(params, acts, B: 1, T: t, positions: (0..<t).map(Int32.init))
            reference.append(Array(UnsafeBufferPointer(start: acts.output, count: t * C)))
        }
        let cache = model.makeCache(slots: 3, capacity: 8)
        let ws = DecodeWorkspace(config: model.config, maxB: 3, cacheCapacity: 8)
        // Sequence 2 gets its first 3 tokens by prefill.
        let prefix = 3
        inputs[2].withUnsafeBufferPointer { acts.input.update(from: $0.baseAddress!, count: prefix * C) }
        model.prefill(params, acts, cache: cache, slot: 2, T: prefix, positions: [0, 1, 2])
        var maxError: Float = 0
        for step in 0..<7 {
            // Sequences still running at this step, each at its own position.
            let active = (0..<3).filter { s in (s == 2 ? step + prefix : step) < lengths[s] }
            guard !active.isEmpty else { break }
            let positions = active.map { s in Int32(s == 2 ? step + prefix : step) }
            for (row, s) in active.enumerated() {
                let p = Int(positions[row])
                inputs[s].withUnsafeBufferPointer { (ws.input + row * C).update(from: $0.baseAddress! + p * C, count: C) }
            }
            model.decodeStep(params, ws, cache: cache, slots: active, positions: positions)
            for (row, s) in active.enumerated() {
                let p = Int(positions[row])
                for c in 0..<C { maxError = max(maxError, abs(ws.output[row * C + c] - reference[s][p * C + c])) }
            }
        }
        #expect(maxError < 1e-4, "KV-cache decode differs from the full forward by \(maxError)")
        #expect(cache.lengths == lengths)
    }

    /// With alignment heads, prefill (text length recorded in the cache) then decoding gives the
    /// whole-sequence forward with the same text mask.
    @Test func kvCacheHonoursAlignmentHeads() {
        let config = TransformerConfig(channels: 8, layers: 2, heads: 2, mlpHidden: 12, maxPositions: 32, alignmentLayers: [0, 1])
        var layout = Layout()
        let model = CausalTransformer(config: config, prefix: "", layout: &layout)
        let params = ParameterSet(layout: layout)
        var rng = RNG(seed: 12)
        model.initialize(params, &rng)
        rng.fillNormal(params.values.base, count: params.values.count, std: 0.4)
        let (T, L, C) = (7, 3, 8)
        let acts = TransformerActivations(config: config, maxB: 1, maxT: T)
        let input = (0..<(T * C)).map { _ in rng.normal() }
        let positions: [Int32] = [0, 1, 2, 0, 1, 2, 3]
        input.withUnsafeBufferPointer { acts.input.update(from: $0.baseAddress!, count: T * C) }
        model.forward(params, acts, B: 1, T: T, positions: positions, textLengths: [Int32(L)])
        let reference = Array(UnsafeBufferPointer(start: acts.output, count: T * C))
        let cache = model.makeCache(slots: 1, capacity: 8)
        let ws = DecodeWorkspace(config: config, maxB: 1, cacheCapacity: 8)
        input.withUnsafeBufferPointer { acts.input.update(from: $0.baseAddress!, count: L * C) }
        model.prefill(params, acts, cache: cache, slot: 0, T: L, positions: Array(positions[0..<L]), textLength: L)
        var maxError: Float = 0
        for t in L..<T {
            input.withUnsafeBufferPointer { ws.input.update(from: $0.baseAddress! + t * C, count: C) }
            model.decodeStep(params, ws, cache: cache, slots: [0], positions: [positions[t]])
            for c in 0..<C { maxError = max(maxError, abs(ws.output[c] - reference[t * C + c])) }
        }
        #expect(maxError < 1e-4, "decode with alignment heads differs by \(maxError)")
    }
}
