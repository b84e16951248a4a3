import NN

extension DiffusionHead {
    /// Forward for N rows: noisy tokens `xt (N, D)`, diffusion times `t (N)` in [0, 1], LM
    /// states `h (N, C)`. The prediction is left in `acts.output (N, out)`.
    public func forward(_ params: ParameterSet, _ acts: HeadActivations,
                        xt: UnsafePointer<Float>, t: UnsafePointer<Float>, h: UnsafePointer<Float>, N: Int) {
        precondition(N <= acts.maxRows, "head batch \(N) exceeds its activations (\(acts.maxRows))")
        conditioningForward(params, acts.conditioning, t: t, h: h, N: N)
        trunkForward(params, acts, xt: xt, N: N)
    }

    /// The token-independent part for N rows (see `HeadConditioning`), written to its rows
    /// `row ..< row + N`: c = time MLP(temb(1000·t)) + Wc·h, then every adaLN's modulation from silu(c).
    public func conditioningForward(_ params: ParameterSet, _ c: HeadConditioning,
                                    t: UnsafePointer<Float>, h: UnsafePointer<Float>, N: Int, row: Int = 0) {
        timeForward(params, c, t: t, N: N, row: row)
        stateForward(params, c, h: h, N: N, row: row)
    }

    /// The time MLP alone: rows `row ..< row + N` of `c.cond` become t2(silu(t1(temb(1000·t)))).
    func timeForward(_ params: ParameterSet, _ c: HeadConditioning, t: UnsafePointer<Float>, N: Int, row: Int = 0) {
        precondition(row + N <= c.maxRows, "conditioning rows \(row + N) exceed its buffers (\(c.maxRows))")
        let (W, F) = (config.width, config.timeFrequencies)
        let w = params.values.base
        let scaledTimes = c.scaledTimes + row, timeEmbedding = c.timeEmbedding + row * F, timeHidden = c.timeHidden + row * W
        let timeAct = c.timeAct + row * W
        for n in 0..<N { scaledTimes[n] = t[n] * Self.timeScale }
        timestepEmbeddingForward(out: timeEmbedding, t: scaledTimes, N: N, D: F)
        linearForward(out: timeHidden, inp: timeEmbedding, weight: w + t1W, bias: w + t1B, N: N, C: F, OC: W)
        siluForward(out: timeAct, inp: timeHidden, count: N * W)
        linearForward(out: c.cond + row * W, inp: timeAct, weight: w + t2W, bias: w + t2B, N: N, C: W, OC: W)
    }

    /// The rest, for rows whose `c.cond` holds the time MLP's output: c += Wc·h + bias, then
    /// every adaLN's modulation from silu(c).
    func stateForward(_ params: ParameterSet, _ c: HeadConditioning, h: UnsafePointer<Float>, N: Int, row: Int = 0) {
        precondition(row + N <= c.maxRows, "conditioning rows \(row + N) exceed its buffers (\(c.maxRows))")
        let (W, C) = (config.width, conditionWidth)
        let w = params.values.base
        let cond = c.cond + row * W, condAct = c.condAct + row * W
        matmul(cond, h, w + cW, M: N, N: W, K: C, transB: true, beta: 1)
        for n in 0..<N { for j in 0..<W { cond[n * W + j] += w[cB + j] } }
        siluForward(out: condAct, inp: cond, count: N * W)
        for (i, b) in blocks.enumerated() {
            linearForward(out: c.blockMods[i] + row * 3 * W, inp: condAct, weight: w + b.adaW, bias: w + b.adaB, N: N, C: W, OC: 3 * W)
        }
        linearForward(out: c.finalMod + row * 2 * W, inp: condAct, weight: w + finalAdaW, bias: w + finalAdaB, N: N, C: W, OC: 2 * W)
    }

    /// The trunk for N rows of noisy tokens `xt (N, D)`, modulated by rows `row ..< row + N` of
    /// `conditioning` (default: the activations' own, computed by `conditioningForward`).
    public func trunkForward(_ params: ParameterSet, _ acts: HeadActivations, xt: UnsafePointer<Float>, N: Int,
                             conditioning: HeadConditioning? = nil, row: Int = 0) {
        precondition(N <= acts.maxRows, "head batch \(N) exceeds its activations (\(acts.maxRows))")
        acts.rows = N
        let (W, D, O) = (config.width, inputWidth, outputWidth)
        if let conditioning, conditioning !== acts.conditioning {
            acts.conditioning.copyModulations(from: conditioning, row: row, N: N, width: W)
        }
        let w = params.values.base
        linearForward(out: acts.x[0], inp: xt, weight: w + inW, bias: w + inB, N: N, C: D, OC: W)
        for (i, b) in blocks.enumerated() {
            let a = acts.blocks[i], xin = acts.x[i], xout = acts.x[i + 1]
            layerNormForward(out: a.norm, mean: a.mean, rstd: a.rstd, inp: xin, weight: nil, bias: nil, N: N, C: W)
            modulateForward(out: a.modulated, x: a.norm, shift: a.mod, scale: a.mod + W, N: N, C: W, condStride: 3 * W)
            linearForward(out: a.fc1, inp: a.modulated, weight: w + b.fc1W, bias: w + b.fc1B, N: N, C: W, OC: W)
            siluForward(out: a.act, inp: a.fc1, count: N * W)
            // xout = xin + gate ⊙ fc2(act); fc2's output is kept for the gate's gradient.
            linearForward(out: a.fc2, inp: a.act, weight: w + b.fc2W, bias: w + b.fc2B, N: N, C: W, OC: W)
            gatedAddForward(out: xout, residual: xin, h: a.fc2, gate: a.mod + 2 * W, N: N, C: W, condStride: 3 * W)
        }
        let last = acts.x[blocks.count], finalMod = acts.conditioning.finalMod
        layerNormForward(out: acts.finalNorm, mean: acts.finalMean, rstd: acts.finalRstd, inp: last, weight: nil, bias: nil, N: N, C: W)
        modulateForward(out: acts.finalModulated, x: acts.finalNorm, shift: finalMod, scale: finalMod + W,
                        N: N, C: W, condStride: 2 * W)
        linearForward(out: acts.output, inp: acts.finalModulated, weight: w + outW, bias: w + outB, N: N, C: W, OC: O)
    }

    /// Backward from `dout (N, out)`. Accumulates parameter gradients (unless `parameterGradients`
    /// is false: value guidance needs only the input gradient), and adds the gradients w.r.t.
    /// the noisy input into `dxt (N, D)` and w.r.t. the LM state into `dh (N, C)` when given.
    public func backward(_ params: ParameterSet, _ acts: HeadActivations, dout: UnsafePointer<Float>,
                         xt: UnsafePointer<Float>, h: UnsafePointer<Float>,
                         dxt: FloatPointer?, dh: FloatPointer?, parameterGradients: Bool = true) {
        let N = acts.rows
        let (W, F, D, C, O) = (config.width, config.timeFrequencies, inputWidth, conditionWidth, outputWidth)
        let w = params.values.base, c = acts.conditioning
        func grad(_ offset: Int) -> FloatPointer? { parameterGradients ? params.grads.base + offset : nil }
        let needCond = parameterGradients || dh != nil
        // Output layer and final adaLN.
        acts.dModulated.update(repeating: 0, count: N * W)
        linearBackward(dinp: acts.dModulated, dweight: grad(outW), dbias: grad(outB), dout: dout, inp: acts.finalModulated,
                       weight: w + outW, N: N, C: W, OC: O)
        acts.dCondAct.update(repeating: 0, count: N * W)
        acts.dNorm.update(repeating: 0, count: N * W)
        acts.dMod.update(repeating: 0, count: N * 2 * W)
        modulateBackward(dx: acts.dNorm, dshift: acts.dMod, dscale: acts.dMod + W, dout: acts.dModulated, x: acts.finalNorm,
                         scale: c.finalMod + W, N: N, C: W, condStride: 2 * W)
        if needCond {
            linearBackward(dinp: acts.dCondAct, dweight: grad(finalAdaW), dbias: grad(finalAdaB), dout: acts.dMod,
                           inp: c.condAct, weight: w + finalAdaW, N: N, C: W, OC: 2 * W)
        }
        acts.dX.update(repeating: 0, count: N * W)
        layerNormBackward(dinp: acts.dX, dweight: nil, dbias: nil, dout: acts.dNorm, inp: acts.x[blocks.count], weight: nil,
                          mean: acts.finalMean, rstd: acts.finalRstd, N: N, C: W)
        // Blocks, last to first; dX holds the gradient w.r.t. the block's output, then its input.
        for (i, b) in blocks.enumerated().reversed() {
            let a = acts.blocks[i], xin = acts.x[i]
            acts.dMod.update(repeating: 0, count: N * 3 * W)
            acts.dFC1.update(repeating: 0, count: N * W)   // d(fc2 output) here
            gatedAddBackward(dresidual: nil, dh: acts.dFC1, dgate: acts.dMod + 2 * W, dout: acts.dX, h: a.fc2,
                             gate: a.mod + 2 * W, N: N, C: W, condStride: 3 * W)
            acts.dAct.update(repeating: 0, count: N * W)
            linearBackward(dinp: acts.dAct, dweight: grad(b.fc2W), dbias: grad(b.fc2B), dout: acts.dFC1, inp: a.act,
                           weight: w + b.fc2W, N: N, C: W, OC: W)
            acts.dFC1.update(repeating: 0, count: N * W)
            siluBackward(dinp: acts.dFC1, dout: acts.dAct, inp: a.fc1, count: N * W)
            acts.dModulated.update(repeating: 0, count: N * W)
            linearBackward(dinp: acts.dModulated, dweight: grad(b.fc1W), dbias: grad(b.fc1B), dout: acts.dFC1, inp: a.modulated,
                           weight: w + b.fc1W, N: N, C: W, OC: W)
            acts.dNorm.update(repeating: 0, count: N * W)
            modulateBackward(dx: acts.dNorm, dshift: acts.dMod, dscale: acts.dMod + W, dout: acts.dModulated, x: a.norm,
                             scale: a.mod + W, N: N, C: W, condStride: 3 * W)
            if needCond {
                linearBackward(dinp: acts.dCondAct, dweight: grad(b.adaW), dbias: grad(b.adaB), dout: acts.dMod,
                               inp: c.condAct, weight: w + b.adaW, N: N, C: W, OC: 3 * W)
            }
            // The residual passes dX through unchanged; the norm adds its part.
            layerNormBackward(dinp: acts.dX, dweight: nil, dbias: nil, dout: acts.dNorm, inp: xin, weight: nil,
                              mean: a.mean, rstd: a.rstd, N: N, C: W)
        }
        linearBackward(dinp: dxt, dweight: grad(inW), dbias: grad(inB), dout: acts.dX, inp: xt, weight: w + inW, N: N, C: D, OC: W)
        guard needCond else { return }
        // Conditioning path: c = time MLP + Wc·h + bc.
        acts.dCond.update(repeating: 0, count: N * W)
        siluBackward(dinp: acts.dCond, dout: acts.dCondAct, inp: c.cond, count: N * W)
        linearBackward(dinp: dh, dweight: grad(cW), dbias: grad(cB), dout: acts.dCond, inp: h, weight: w + cW, N: N, C: C, OC: W)
        guard parameterGradients else { return }
        acts.dTimeAct.update(repeating: 0, count: N * W)
        linearBackward(dinp: acts.dTimeAct, dweight: grad(t2W), dbias: grad(t2B), dout: acts.dCond, inp: c.timeAct,
                       weight: w + t2W, N: N, C: W, OC: W)
        acts.dTimeHidden.update(repeating: 0, count: N * W)
        siluBackward(dinp: acts.dTimeHidden, dout: acts.dTimeAct, inp: c.timeHidden, count: N * W)
        linearBackward(dinp: nil, dweight: grad(t1W), dbias: grad(t1B), dout: acts.dTimeHidden, inp: c.timeEmbedding,
                       weight: w + t1W, N: N, C: F, OC: W)
    }
}
