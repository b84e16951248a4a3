/// Where a pre-norm transformer stack's tensors sit in its owner's `Layout`, and how they start.
/// The LM's causal stack and the recogniser's bidirectional encoder differ only in attention's
/// mask, so both name and initialise their weights through this one type:
///
///   blocks.l.norm1 (C), attn.qkv (3C, C), attn.proj (C, C), norm2 (C),
///   mlp.fc (inner, C), mlp.proj (C, hidden);  norm (C) after the last block.
public struct TransformerWeights: Sendable {
    public struct Block: Sendable { public let norm1, qkv, proj, norm2, fc, fcProj: Int }

    public let config: TransformerConfig
    public let blocks: [Block]
    public let finalNorm: Int

    public init(config: TransformerConfig, prefix: String, layout: inout Layout) {
        self.config = config
        let C = config.channels
        blocks = (0..<config.layers).map { l in
            let p = "\(prefix)blocks.\(l)."
            return Block(
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
}
