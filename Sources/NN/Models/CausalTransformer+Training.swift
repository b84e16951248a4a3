extension CausalTransformer {
    /// Whole-sequence forward. The input embeddings (B, T, C) must already be in `acts.input`;
    /// `positions` (B·T) gives each row's RoPE position; `textLengths` (B), when given, marks the
    /// text prefix that alignment heads restrict speech queries to. The result is `acts.output`.
    public func forward(_ params: ParameterSet, _ acts: TransformerActivations, B: Int, T: Int, positions: [Int32],
                        textLengths: [Int32]? = nil) {
        precondition(B <= acts.maxB && T <= acts.maxT, "batch \(B)x\(T) exceeds activations \(acts.maxB)x\(acts.maxT)")
        precondition(positions.count == B * T, "need one position per row")
        let (C, NH, N) = (config.channels, config.heads, B * T)
        let (inner, hidden) = (config.mlpInner, config.mlpHidden)
        let w = params.values.base
        acts.B = B; acts.T = T; acts.positions = positions
        let shape = AttentionShape(B: B, T: T, C: C, NH: NH)
        for (l, o) in blocks.enumerated() {
            let a = acts.layer[l], x = acts.residual[l]
            rmsNormForward(out: a.norm1, rstd: a.rstd1, inp: x, weight: w + o.norm1, N: N, C: C)
            linearForward(out: a.qkv, inp: a.norm1, weight: w + o.qkv, bias: nil, N: N, C: C, OC: 3 * C)
            positions.withUnsafeBufferPointer { pos in
                if let textLengths {
                    textLengths.withUnsafeBufferPointer {
                        attentionForward(out: a.attY, qk: a.qk, att: a.att, qkv: a.qkv, positions: pos.baseAddress!, rope: rope,
                                         shape: shape, textLengths: $0.baseAddress!, alignmentHeads: config.alignmentHeads(layer: l))
                    }
                } else {
                    attentionForward(out: a.attY, qk: a.qk, att: a.att, qkv: a.qkv, positions: pos.baseAddress!, rope: rope, shape: shape)
                }
            }
            linearForward(out: a.mid, inp: a.attY, weight: w + o.proj, bias: nil, N: N, C: C, OC: C)
            residualForward(out: a.mid, a: a.mid, b: x, count: N * C)
            rmsNormForward(out: a.norm2, rstd: a.rstd2, inp: a.mid, weight: w + o.norm2, N: N, C: C)
            linearForward(out: a.fc, inp: a.norm2, weight: w + o.fc, bias: nil, N: N, C: C, OC: inner)
            switch config.mlp {
            case .gelu: geluForward(out: a.act, inp: a.fc, count: N * hidden)
            case .swiglu: swigluForward(out: a.act, inp: a.fc, N: N, H: hidden)
            }
            let next = acts.residual[l + 1]
            linearForward(out: next, inp: a.act, weight: w + o.fcProj, bias: nil, N: N, C: hidden, OC: C)
            residualForward(out: next, a: next, b: a.mid, count: N * C)
        }
        rmsNormForward(out: acts.normOut, rstd: acts.normRstd, inp: acts.residual[config.layers],
                       weight: w + finalNorm, N: N, C: C)
    }

    /// Backward from `dout` (B, T, C), the gradient w.r.t. `acts.output` of the last forward.
    /// Accumulates parameter gradients into `params.grads` and leaves the gradient w.r.t. the
    /// input embeddings in `acts.inputGradient` (overwritten, not accumulated).
    /// `probabilityGradient(layer)` adds a loss on that layer's attention probabilities.
    public func backward(_ params: ParameterSet, _ acts: TransformerActivations, dout: UnsafePointer<Float>,
                         probabilityGradient: ((Int) -> AttentionProbabilityGradient?)? = nil) {
        let (B, T, C, NH) = (acts.B, acts.T, config.channels, config.heads)
        let (N, inner, hidden) = (B * T, config.mlpInner, config.mlpHidden)
        let w = params.values.base, g = params.grads.base
        let shape = AttentionShape(B: B, T: T, C: C, NH: NH)
        let dres = acts.dResidual
        dres.update(repeating: 0, count: N * C)
        rmsNormBackward(dinp: dres, dweight: g + finalNorm, dout: dout, inp: acts.residual[config.layers],
                        weight: w + finalNorm, rstd: acts.normRstd, N: N, C: C)
        for (l, o) in blocks.enumerated().reversed() {
            let a = acts.layer[l]
            // MLP branch: dres is the gradient w.r.t. this block's output (and, by the residual, w.r.t. mid).
            acts.dAct.update(repeating: 0, count: N * hidden)
            linearBackward(dinp: acts.dAct, dweight: g + o.fcProj, dbias: nil, dout: dres, inp: a.act,
                           weight: w + o.fcProj, N: N, C: hidden, OC: C)
            acts.dFC.update(repeating: 0, count: N * inner)
            switch config.mlp {
            case .gelu: geluBackward(dinp: acts.dFC, dout: acts.dAct, inp: a.fc, count: N * hidden)
            case .swiglu: swigluBackward(dinp: acts.dFC, dout: acts.dAct, inp: a.fc, N: N, H: hidden)
            }
            acts.dNormed.update(repeating: 0, count: N * C)
            linearBackward(dinp: acts.dNormed, dweight: g + o.fc, dbias: nil, dout: acts.dFC, inp: a.norm2,
                           weight: w + o.fc, N: N, C: C, OC: inner)
            rmsNormBackward(dinp: dres, dweight: g + o.norm2, dout: acts.dNormed, inp: a.mid,
                            weight: w + o.norm2, rstd: a.rstd2, N: N, C: C)
            // Attention branch: dres is now the gradient w.r.t. mid (and, by the residual, w.r.t. the block input).
            acts.dAttY.update(repeating: 0, count: N * C)
            linearBackward(dinp: acts.dAttY, dweight: g + o.proj, dbias: nil, dout: dres, inp: a.attY,
                           weight: w + o.proj, N: N, C: C, OC: C)
            acts.dQKV.update(repeating: 0, count: N * 3 * C)
            acts.positions.withUnsafeBufferPointer {
                attentionBackward(dqkv: acts.dQKV, dout: acts.dAttY, qkv: a.qkv, qk: a.qk, att: a.att,
                                  positions: $0.baseAddress!, rope: rope, shape: shape, scratch: acts.attentionScratch,
                                  probabilityGradient: probabilityGradient?(l))
            }
            acts.dNormed.update(repeating: 0, count: N * C)
            linearBackward(dinp: acts.dNormed, dweight: g + o.qkv, dbias: nil, dout: acts.dQKV, inp: a.norm1,
                           weight: w + o.qkv, N: N, C: C, OC: 3 * C)
            rmsNormBackward(dinp: dres, dweight: g + o.norm1, dout: acts.dNormed, inp: acts.residual[l],
                            weight: w + o.norm1, rstd: a.rstd1, N: N, C: C)
        }
    }
}

extension CausalTransformer {
    /// The saved attention probabilities (B, NH, T, T) of layer l after `forward`.
    public func attentionProbabilities(_ acts: TransformerActivations, layer l: Int) -> UnsafePointer<Float> {
        UnsafePointer(acts.layer[l].att)
    }
}
