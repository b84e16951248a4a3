/// Per-token scratch for decoding up to `maxB` sequences at once; allocated once per server
/// or sampler, so the per-token loop allocates nothing.
public final class DecodeWorkspace: @unchecked Sendable {
    public let maxB: Int
    let slab: Slab
    /// Write the (B, C) input embeddings of the newest tokens here before `decodeStep`.
    public let input: FloatPointer
    /// The (B, C) hidden states after `decodeStep`.
    public let output: FloatPointer
    let normed, qkv, attY, fc, act, rstd, scores: FloatPointer

    public init(config: TransformerConfig, maxB: Int, cacheCapacity: Int) {
        self.maxB = maxB
        let C = config.channels
        var layout = Layout()
        for (name, width) in [("input", C), ("output", C), ("normed", C), ("qkv", 3 * C), ("attY", C),
                              ("fc", config.mlpInner), ("act", config.mlpHidden), ("rstd", 1)] {
            layout.add(name, [maxB, width])
        }
        layout.add("scores", [cacheCapacity])
        let slab = Slab(count: layout.count)
        self.slab = slab
        func view(_ n: String) -> FloatPointer { slab.pointer(at: layout.offset(n)) }
        input = view("input"); output = view("output"); normed = view("normed"); qkv = view("qkv")
        attY = view("attY"); fc = view("fc"); act = view("act"); rstd = view("rstd"); scores = view("scores")
    }
}

extension CausalTransformer {
    public func makeCache(slots: Int, capacity: Int) -> KVCache {
        KVCache(layers: config.layers, slots: slots, capacity: capacity, channels: config.channels)
    }

    /// One token for each of B sequences: row b of `ws.input` is the newest token's embedding
    /// of the sequence in cache slot `slots[b]`, at RoPE position `positions[b]`. Appends its
    /// keys and values to the cache and writes the hidden states to `ws.output`.
    /// Equals the whole-sequence `forward` at that position (tested).
    public func decodeStep(_ params: ParameterSet, _ ws: DecodeWorkspace, cache: KVCache, slots: [Int], positions: [Int32]) {
        let (B, C, NH) = (slots.count, config.channels, config.heads)
        precondition(B <= ws.maxB && positions.count == B, "decode batch \(B) exceeds workspace \(ws.maxB)")
        let (inner, hidden) = (config.mlpInner, config.mlpHidden)
        let w = params.values.base
        let x = ws.input
        for (l, o) in blocks.enumerated() {
            rmsNormForward(out: ws.normed, rstd: ws.rstd, inp: x, weight: w + o.norm1, N: B, C: C)
            linearForward(out: ws.qkv, inp: ws.normed, weight: w + o.qkv, bias: nil, N: B, C: C, OC: 3 * C)
            attentionDecodeForward(out: ws.attY, qkv: ws.qkv, slots: slots, positions: positions,
                                   cache: cache, layer: l, rope: rope, heads: NH, scores: ws.scores,
                                   alignmentHeads: config.alignmentHeads(layer: l))
            // x += Wo · attY, done as a GEMM with beta 1 straight into the residual stream.
            matmul(x, ws.attY, w + o.proj, M: B, N: C, K: C, transB: true, beta: 1)
            rmsNormForward(out: ws.normed, rstd: ws.rstd, inp: x, weight: w + o.norm2, N: B, C: C)
            linearForward(out: ws.fc, inp: ws.normed, weight: w + o.fc, bias: nil, N: B, C: C, OC: inner)
            switch config.mlp {
            case .gelu: geluForward(out: ws.act, inp: ws.fc, count: B * hidden)
            case .swiglu: swigluForward(out: ws.act, inp: ws.fc, N: B, H: hidden)
            }
            matmul(x, ws.act, w + o.fcProj, M: B, N: C, K: hidden, transB: true, beta: 1)
        }
        rmsNormForward(out: ws.output, rstd: ws.rstd, inp: x, weight: w + finalNorm, N: B, C: C)
        cache.advance(slots: slots)
    }

    /// Runs a whole prefix (one sequence, T tokens, embeddings in `acts.input`) through
    /// `forward` and stores its keys and values in cache slot `slot`. `textLength` marks the
    /// text prefix for alignment heads (kept in the cache for the decoding steps).
    public func prefill(_ params: ParameterSet, _ acts: TransformerActivations, cache: KVCache, slot: Int, T: Int,
                        positions: [Int32], textLength: Int = 0) {
        forward(params, acts, B: 1, T: T, positions: positions, textLengths: textLength > 0 ? [Int32(textLength)] : nil)
        cache.textLengths[slot] = textLength
        for l in 0..<config.layers {
            cache.store(layer: l, slot: slot, qk: acts.layer[l].qk, qkv: acts.layer[l].qkv, T: T)
        }
        cache.advance(slots: [slot], by: T)
    }
}
