/// A small decoder-only language model over integer tokens: embedding, `CausalTransformer`,
/// linear head, softmax cross-entropy on the next token. The numerical core's end-to-end
/// check (it must learn) and the benchmark's workload; the ARDM reuses the same transformer.
public final class TokenLM: @unchecked Sendable {
    public let vocab: Int
    public let transformer: CausalTransformer
    public let params: ParameterSet
    public let acts: TransformerActivations
    let embedding: Int, head: Int
    let logits: Slab, probs: Slab, dlogits: Slab   // (B, T, V) each
    let dOutput: Slab                               // (B, T, C): gradient w.r.t. the transformer's output

    public init(vocab: Int, config: TransformerConfig, maxB: Int, maxT: Int, seed: UInt64) {
        self.vocab = vocab
        var layout = Layout()
        // Embeddings are looked up, not multiplied: no weight decay (GPT-2 practice).
        embedding = layout.add("embedding.weight", [vocab, config.channels], decays: false)
        transformer = CausalTransformer(config: config, prefix: "lm.", layout: &layout)
        head = layout.add("head.weight", [vocab, config.channels])
        params = ParameterSet(layout: layout)
        acts = TransformerActivations(config: config, maxB: maxB, maxT: maxT)
        logits = Slab(count: maxB * maxT * vocab)
        probs = Slab(count: maxB * maxT * vocab)
        dlogits = Slab(count: maxB * maxT * vocab)
        dOutput = Slab(count: maxB * maxT * config.channels)
        var rng = RNG(seed: seed)
        transformer.initialize(params, &rng)
        rng.fillNormal(params.value("embedding.weight"), count: vocab * config.channels, std: 0.02)
        rng.fillNormal(params.value("head.weight"), count: vocab * config.channels, std: 0.02)
    }

    /// Forward and loss: inputs and targets are (B, T) token ids (target −1 = ignore).
    public func forward(inputs: [Int32], targets: [Int32], B: Int, T: Int) -> Float {
        let (C, N) = (transformer.config.channels, B * T)
        inputs.withUnsafeBufferPointer {
            embeddingForward(out: acts.input, ids: $0.baseAddress!, table: params.values.base + embedding, N: N, C: C)
        }
        let positions = (0..<N).map { Int32($0 % T) }
        transformer.forward(params, acts, B: B, T: T, positions: positions)
        linearForward(out: logits.base, inp: acts.output, weight: params.values.base + head, bias: nil, N: N, C: C, OC: vocab)
        return targets.withUnsafeBufferPointer {
            softmaxCrossEntropyForward(probs: probs.base, logits: logits.base, targets: $0.baseAddress!, N: N, V: vocab)
        }
    }

    /// Backward of the last `forward`; accumulates into `params.grads`.
    public func backward(inputs: [Int32], targets: [Int32]) {
        let (C, N) = (transformer.config.channels, acts.B * acts.T)
        dlogits.base.update(repeating: 0, count: N * vocab)
        targets.withUnsafeBufferPointer {
            softmaxCrossEntropyBackward(dlogits: dlogits.base, probs: probs.base, targets: $0.baseAddress!, N: N, V: vocab)
        }
        dOutput.base.update(repeating: 0, count: N * C)
        linearBackward(dinp: dOutput.base, dweight: params.grads.base + head, dbias: nil, dout: dlogits.base,
                       inp: acts.output, weight: params.values.base + head, N: N, C: C, OC: vocab)
        transformer.backward(params, acts, dout: dOutput.base)
        inputs.withUnsafeBufferPointer {
            embeddingBackward(dtable: params.grads.base + embedding, dout: acts.inputGradient, ids: $0.baseAddress!, N: N, C: C)
        }
    }
}
