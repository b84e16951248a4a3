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
    let blocks: [BlockOffsets]
    let finalNorm: Int

    struct BlockOffsets: Sendable { let norm1, qkv, proj, norm2, fc, fcProj: Int }

    public init(config: TransformerConfig, prefix: String, layout: inout Layout) {
        self.config = config
        let C = config.channels
        rope = RoPETable(headDim: C / config.heads, maxPosition: config.maxPositions, base: config.ropeBase)
        blocks = (0..<config.layers).map { l in
            let p = "\(prefix)blocks.\(l)."
            return BlockOffsets(
                norm1: layout.add(p + "norm1.weight", [C]),
                qkv: layout.add(p + "attn.qkv.weight", [3 * C, C]),
                proj: layout.add(p + "attn.proj.weight", [C, C]),
                norm2: layout.add(p + "norm2.weight", [C]),
                fc: layout.add(p + "mlp.fc.weight", [config.mlpInner, C]),
                fcProj: layout.add(p + "mlp.proj.weight", [C, config.mlpHidden]))
        }
        finalNorm = layout.add("\(prefix)norm.weight", [C])
    }

    /// GPT-2's initialisation: N(0, 0.02) for matrices, residual output projections scaled by
    /// 1/√(2L) so the residual stream's variance does not grow with depth; norm gains 1.
    public func initialize(_ params: ParameterSet, _ rng: inout RNG) {
        let C = config.channels
        let residualStd = 0.02 / Float(2 * config.layers).squareRoot()
        for b in blocks {
            params.values.pointer(at: b.norm1).update(repeating: 1, count: C)
            params.values.pointer(at: b.norm2).update(repeating: 1, count: C)
            rng.fillNormal(params.values.pointer(at: b.qkv), count: 3 * C * C, std: 0.02)
            rng.fillNormal(params.values.pointer(at: b.proj), count: C * C, std: residualStd)
            rng.fillNormal(params.values.pointer(at: b.fc), count: config.mlpInner * C, std: 0.02)
            rng.fillNormal(params.values.pointer(at: b.fcProj), count: C * config.mlpHidden, std: residualStd)
        }
        params.values.pointer(at: finalNorm).update(repeating: 1, count: C)
    }

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
