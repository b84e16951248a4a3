/// A stack of pre-norm causal transformer blocks with a final RMSNorm:
///
///   h = x + Wo · Attn(RoPE(Wqkv · norm1(x)))
///   y = h + W2 · act(W1 · norm2(h))            (act: GELU, or SwiGLU's gate)
///   out = normF(y of the last block)
///
/// It maps input embeddings (B, T, C) to hidden states (B, T, C); models that own it (the
/// ARDM's LM, test models) add their own embeddings and heads. Its tensors are registered into
/// the owner's `Layout` under `prefix`, so one `ParameterSet` holds the whole model.
public struct CausalTransformer: Sendable {
    public let config: TransformerConfig
    public let rope: RoPETable
    let weights: TransformerWeights
    var blocks: [TransformerWeights.Block] { weights.blocks }
    var finalNorm: Int { weights.finalNorm }

    public init(config: TransformerConfig, prefix: String, layout: inout Layout) {
        self.config = config
        rope = RoPETable(headDim: config.channels / config.heads, maxPosition: config.maxPositions, base: config.ropeBase)
        weights = TransformerWeights(config: config, prefix: prefix, layout: &layout)
    }

    /// GPT-2's initialisation (`TransformerWeights.initialize`).
    public func initialize(_ params: ParameterSet, _ rng: inout RNG) { weights.initialize(params, &rng) }

    /// Makes `range`'s blocks the identity on the residual stream (attention and MLP output
    /// projections at zero), their other weights as they are: blocks added to a trained stack
    /// start there.
    public func zeroResidualOutputs(blocks range: Range<Int>, _ params: ParameterSet) {
        let C = config.channels
        for b in blocks[range] {
            params.values.pointer(at: b.proj).update(repeating: 0, count: C * C)
            params.values.pointer(at: b.fcProj).update(repeating: 0, count: C * config.mlpHidden)
        }
    }
}
