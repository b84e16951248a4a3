import NN

/// A stack of pre-norm *bidirectional* transformer blocks with a final RMSNorm, for the
/// recogniser (every frame sees the whole utterance, unlike the LM's causal stack):
///
///   h = x + Wo · Attn(RoPE(Wqkv · norm1(x)))        (keys limited to each sequence's length)
///   y = h + W2 · GELU(W1 · norm2(h))
///   out = normF(y of the last block)
///
/// Maps (B, T, C) inputs in `acts.input` to (B, T, C) hidden states in `acts.output`. Its
/// tensors are registered into the owner's `Layout` under `prefix` (one ParameterSet per model).
public struct TransformerEncoder: Sendable {
    public let config: TransformerConfig
    public let rope: RoPETable
    let weights: TransformerWeights
    var blocks: [TransformerWeights.Block] { weights.blocks }
    var finalNorm: Int { weights.finalNorm }

    public init(config: TransformerConfig, prefix: String, layout: inout Layout) {
        precondition(config.mlp == .gelu, "the encoder uses a GELU MLP")
        self.config = config
        rope = RoPETable(headDim: config.channels / config.heads, maxPosition: config.maxPositions, base: config.ropeBase)
        weights = TransformerWeights(config: config, prefix: prefix, layout: &layout)
    }

    /// GPT-2's initialisation, as the causal stack (`TransformerWeights.initialize`).
    public func initialize(_ params: ParameterSet, _ rng: inout RNG) { weights.initialize(params, &rng) }

    /// Whole-batch forward; `lengths (B)` are the valid frames of each sequence (≤ T).
    public func forward(_ params: ParameterSet, _ acts: EncoderActivations, B: Int, T: Int, lengths: [Int32]) {
        precondition(B * T <= acts.maxRows && T <= acts.maxT, "batch \(B)x\(T) exceeds activations (\(acts.maxRows) rows, \(acts.maxT) frames)")
        precondition(lengths.count == B && lengths.allSatisfy { $0 > 0 && Int($0) <= T }, "need 1...T valid frames per sequence")
        precondition(T <= config.maxPositions, "\(T) frames exceed the encoder's \(config.maxPositions) positions")
        let (C, N, H) = (config.channels, B * T, config.mlpHidden)
        let w = params.values.base
        acts.B = B; acts.T = T; acts.lengths = lengths
        acts.positions = (0..<N).map { Int32($0 % T) }
        let shape = AttentionShape(B: B, T: T, C: C, NH: config.heads)
        for (l, o) in blocks.enumerated() {
            let a = acts.layer[l], x = acts.residual[l]
            rmsNormForward(out: a.norm1, rstd: a.rstd1, inp: x, weight: w + o.norm1, N: N, C: C)
            linearForward(out: a.qkv, inp: a.norm1, weight: w + o.qkv, bias: nil, N: N, C: C, OC: 3 * C)
            acts.positions.withUnsafeBufferPointer { pos in
                lengths.withUnsafeBufferPointer { len in
                    bidirectionalAttentionForward(out: a.attY, qk: a.qk, att: a.att, qkv: a.qkv, positions: pos.baseAddress!,
                                                  lengths: len.baseAddress!, rope: rope, shape: shape)
                }
            }
            linearForward(out: a.mid, inp: a.attY, weight: w + o.proj, bias: nil, N: N, C: C, OC: C)
            residualForward(out: a.mid, a: a.mid, b: x, count: N * C)
            rmsNormForward(out: a.norm2, rstd: a.rstd2, inp: a.mid, weight: w + o.norm2, N: N, C: C)
            linearForward(out: a.fc, inp: a.norm2, weight: w + o.fc, bias: nil, N: N, C: C, OC: H)
            geluForward(out: a.act, inp: a.fc, count: N * H)
            let next = acts.residual[l + 1]
            linearForward(out: next, inp: a.act, weight: w + o.fcProj, bias: nil, N: N, C: H, OC: C)
            residualForward(out: next, a: next, b: a.mid, count: N * C)
        }
        rmsNormForward(out: acts.output, rstd: acts.normRstd, inp: acts.residual[config.layers],
                       weight: w + finalNorm, N: N, C: C)
    }

    /// Backward from `dout (B, T, C)`; accumulates parameter gradients and leaves the gradient
    /// w.r.t. the input in `acts.inputGradient` (overwritten).
    public func backward(_ params: ParameterSet, _ acts: EncoderActivations, dout: UnsafePointer<Float>) {
        let (B, T, C, H) = (acts.B, acts.T, config.channels, config.mlpHidden)
        let N = B * T
        let w = params.values.base, g = params.grads.base
        let shape = AttentionShape(B: B, T: T, C: C, NH: config.heads)
        let dres = acts.dResidual
        dres.update(repeating: 0, count: N * C)
        rmsNormBackward(dinp: dres, dweight: g + finalNorm, dout: dout, inp: acts.residual[config.layers],
                        weight: w + finalNorm, rstd: acts.normRstd, N: N, C: C)
        for (l, o) in blocks.enumerated().reversed() {
            let a = acts.layer[l]
            // MLP branch; dres is the gradient w.r.t. the block output and, by the residual, w.r.t. mid.
            acts.dAct.update(repeating: 0, count: N * H)
            linearBackward(dinp: acts.dAct, dweight: g + o.fcProj, dbias: nil, dout: dres, inp: a.act,
                           weight: w + o.fcProj, N: N, C: H, OC: C)
            acts.dFC.update(repeating: 0, count: N * H)
            geluBackward(dinp: acts.dFC, dout: acts.dAct, inp: a.fc, count: N * H)
            acts.dNormed.update(repeating: 0, count: N * C)
            linearBackward(dinp: acts.dNormed, dweight: g + o.fc, dbias: nil, dout: acts.dFC, inp: a.norm2,
                           weight: w + o.fc, N: N, C: C, OC: H)
            rmsNormBackward(dinp: dres, dweight: g + o.norm2, dout: acts.dNormed, inp: a.mid,
                            weight: w + o.norm2, rstd: a.rstd2, N: N, C: C)
            // Attention branch; dres is now the gradient w.r.t. mid and, by the residual, the block input.
            acts.dAttY.update(repeating: 0, count: N * C)
            linearBackward(dinp: acts.dAttY, dweight: g + o.proj, dbias: nil, dout: dres, inp: a.attY,
                           weight: w + o.proj, N: N, C: C, OC: C)
            acts.dQKV.update(repeating: 0, count: N * 3 * C)
            acts.positions.withUnsafeBufferPointer { pos in
                acts.lengths.withUnsafeBufferPointer { len in
                    bidirectionalAttentionBackward(dqkv: acts.dQKV, dout: acts.dAttY, qkv: a.qkv, qk: a.qk, att: a.att,
                                                   positions: pos.baseAddress!, lengths: len.baseAddress!, rope: rope,
                                                   shape: shape, scratch: acts.attentionScratch)
                }
            }
            acts.dNormed.update(repeating: 0, count: N * C)
            linearBackward(dinp: acts.dNormed, dweight: g + o.qkv, dbias: nil, dout: acts.dQKV, inp: a.norm1,
                           weight: w + o.qkv, N: N, C: C, OC: 3 * C)
            rmsNormBackward(dinp: dres, dweight: g + o.norm1, dout: acts.dNormed, inp: acts.residual[l],
                            weight: w + o.norm1, rstd: a.rstd1, N: N, C: C)
        }
    }
}
