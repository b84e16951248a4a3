import NN

/// Weights of the auxiliary losses in the total (the diffusion loss has weight 1).
public struct ARDMLossWeights: Codable, Sendable {
    public var stop: Float = 1
    public var auxiliary: Float = 0.3
    public init(stop: Float = 1, auxiliary: Float = 0.3) { self.stop = stop; self.auxiliary = auxiliary }
    // The alignment prior's weight is part of the model config (ARDMConfig.alignmentPenalty).
}

extension ARDM {
    /// One forward and backward pass over a batch: accumulates gradients into `params.grads`
    /// (the caller zeroes them and steps the optimiser) and returns the losses.
    ///
    /// The LM reads `[BOS] text [SEP] speech` (`StepLayout`); its state at each predicting row
    /// conditions the diffusion head on K noisy copies of the next token, the stop head and the
    /// auxiliary phone head; the alignment heads carry the guided-attention prior. With
    /// probability `conditionDropout` (the config's unless given; validation uses 0) a
    /// sequence's text is dropped: the unconditional model that LM guidance subtracts.
    /// `historyNoise` σ > 0 adds N(0, (u·σ)²) noise, u ~ U(0, 1) per sequence, to the speech
    /// tokens the LM reads (not to the targets), so it learns to continue from imperfect
    /// histories like its own samples (exposure bias), on top of an example's own `history` where
    /// it has one (free-running segments). `predictedHistory` p > 0 then replaces,
    /// in a fraction p of the sequences, the target tokens the LM reads by the model's own
    /// one-shot predictions of them (`predictedHistory(_:_:_:history:probability:rng:)`).
    public func trainingStep(_ batch: [ARDMExample], _ ws: ARDMTrainingWorkspace, rng: inout RNG,
                             weights: ARDMLossWeights = ARDMLossWeights(), conditionDropout: Float? = nil,
                             historyNoise: Float = 0, predictedHistory: Float = 0) -> ARDMLosses {
        precondition(batch.count <= ws.maxB, "batch of \(batch.count) exceeds the workspace's \(ws.maxB)")
        let layout = StepLayout(batch: batch, bos: config.bosID, sep: config.sepID,
                                dropout: conditionDropout ?? config.conditionDropout, tokenWidth: config.tokenWidth, rng: &rng)
        precondition(layout.T <= ws.maxT, "sequence of \(layout.T) positions exceeds the workspace's \(ws.maxT)")
        copySpeech(batch, ws)
        var history = examplesHistory(batch, ws)
        if historyNoise > 0 { history = noisyHistory(batch, ws, from: history, sigma: historyNoise, rng: &rng) }
        if predictedHistory > 0 {
            history = self.predictedHistory(batch, layout, ws, history: history, probability: predictedHistory, rng: &rng)
        }
        embedInputs(layout, ws, history: history)
        lm.forward(params, ws.lmActs, B: layout.B, T: layout.T, positions: layout.positions, textLengths: layout.textLengths)
        let prior = alignmentPrior(batch, layout)
        let alignmentLayers = config.lm.alignmentLayers ?? []
        var alignmentLoss: Float = 0
        if config.alignmentPenalty > 0 && !alignmentLayers.isEmpty {
            for l in alignmentLayers { alignmentLoss += prior.loss(probabilities: lm.attentionProbabilities(ws.lmActs, layer: l)) }
            alignmentLoss /= Float(alignmentLayers.count)
        }
        ws.dLMOut.update(repeating: 0, count: layout.B * layout.T * config.lm.channels)
        let diffusionLoss = diffusionLossAndGradient(layout, ws, rng: &rng)
        let stopLoss = stopLossAndGradient(rows: layout.stopRows, targets: layout.stopTargets, ws, weight: weights.stop)
        let auxLoss = auxiliaryLossAndGradient(layout, ws, weight: weights.auxiliary)
        // Back through the LM (with the prior's gradient on the alignment heads) to the inputs.
        let priorScale = config.alignmentPenalty / Float(max(alignmentLayers.count, 1))
        lm.backward(params, ws.lmActs, dout: ws.dLMOut) { layer in
            priorScale > 0 && alignmentLayers.contains(layer) ? prior.gradient(scale: priorScale) : nil
        }
        inputsBackward(layout, ws, history: history)
        let total = diffusionLoss + weights.stop * stopLoss + weights.auxiliary * auxLoss + config.alignmentPenalty * alignmentLoss
        return ARDMLosses(diffusion: diffusionLoss, stop: stopLoss, auxiliary: auxLoss, alignment: alignmentLoss, total: total)
    }

    /// Copies the batch's speech tokens, clean, into `ws.speechIn` in LM-input order (the
    /// diffusion targets and, without history noise, what the LM reads).
    func copySpeech(_ batch: [ARDMExample], _ ws: ARDMTrainingWorkspace) {
        var offset = 0
        for ex in batch {
            ex.speech.withUnsafeBufferPointer { (ws.speechIn + offset).update(from: $0.baseAddress!, count: ex.speech.count) }
            offset += ex.speech.count
        }
    }

    /// What the LM reads before any noise: `ws.speechIn` itself, or, when an example carries its
    /// own `history`, `ws.speechHistory` holding the histories (the targets elsewhere).
    func examplesHistory(_ batch: [ARDMExample], _ ws: ARDMTrainingWorkspace) -> UnsafePointer<Float> {
        guard batch.contains(where: { $0.history != nil }) else { return UnsafePointer(ws.speechIn) }
        var offset = 0
        for ex in batch {
            let read = ex.history ?? ex.speech
            precondition(read.count == ex.speech.count, "a history of \(read.count) values for \(ex.speech.count) speech values")
            read.withUnsafeBufferPointer { (ws.speechHistory + offset).update(from: $0.baseAddress!, count: read.count) }
            offset += read.count
        }
        return UnsafePointer(ws.speechHistory)
    }

    /// `ws.speechHistory` = `history` + N(0, (u·σ)²) noise, u ~ U(0, 1) drawn per sequence
    /// (`history` may be `ws.speechHistory` itself).
    func noisyHistory(_ batch: [ARDMExample], _ ws: ARDMTrainingWorkspace, from history: UnsafePointer<Float>, sigma: Float,
                      rng: inout RNG) -> UnsafePointer<Float> {
        var offset = 0
        for ex in batch {
            let std = sigma * rng.uniform()
            for i in offset..<(offset + ex.speech.count) { ws.speechHistory[i] = history[i] + std * rng.normal() }
            offset += ex.speech.count
        }
        return UnsafePointer(ws.speechHistory)
    }

    /// LM inputs: text embeddings, and the speech tokens `history` (LM-input order) through one
    /// projection GEMM.
    func embedInputs(_ layout: StepLayout, _ ws: ARDMTrainingWorkspace, history: UnsafePointer<Float>) {
        let C = config.lm.channels, D = config.tokenWidth, w = params.values.base
        ws.lmActs.input.update(repeating: 0, count: layout.B * layout.T * C)
        for (id, row) in zip(layout.textIDs, layout.textRows) {
            (ws.lmActs.input + row * C).update(from: w + textEmbedding + Int(id) * C, count: C)
        }
        linearForward(out: ws.speechProj, inp: history, weight: w + speechInW, bias: w + speechInB,
                      N: layout.speechRows.count, C: D, OC: C)
        for (r, row) in layout.speechRows.enumerated() { (ws.lmActs.input + row * C).update(from: ws.speechProj + r * C, count: C) }
    }

    private func alignmentPrior(_ batch: [ARDMExample], _ layout: StepLayout) -> AlignmentPrior {
        AlignmentPrior(
            sequences: batch.indices.map { b in
                let ex = batch[b], S = layout.speechCounts[b]
                return AlignmentPrior.Sequence(promptText: ex.promptTextCount, targetText: ex.textIDs.count - ex.promptTextCount,
                                               promptTokens: ex.promptTokenCount, targetTokens: S - ex.promptTokenCount,
                                               speechStart: layout.texts[b].count, dropped: layout.dropped[b])
            },
            width: config.alignmentWidth, T: layout.T, heads: config.lm.heads)
    }

    /// v-prediction MSE of the head on K noisy copies of every learned token (t uniform, ε normal);
    /// adds the gradient w.r.t. the LM states into `ws.dLMOut`.
    private func diffusionLossAndGradient(_ layout: StepLayout, _ ws: ARDMTrainingWorkspace, rng: inout RNG) -> Float {
        let C = config.lm.channels, D = config.tokenWidth, K = ws.timesPerToken
        let hOut = ws.lmActs.output, NP = layout.diffusionTokens.count, NH = K * NP
        for k in 0..<K {
            for (q, r) in layout.diffusionTokens.enumerated() {
                let n = k * NP + q, row = layout.predictRows[r]
                (ws.condRows + n * C).update(from: hOut + row * C, count: C)
                let t = NoiseSchedule.minimumTime + (NoiseSchedule.maximumTime - NoiseSchedule.minimumTime) * rng.uniform()
                ws.times[n] = t
                let a = NoiseSchedule.alpha(t), s = NoiseSchedule.sigma(t)
                let x0 = ws.speechIn + r * D, xt = ws.noisy + n * D, v = ws.target + n * D
                for d in 0..<D {
                    let eps = rng.normal()
                    xt[d] = a * x0[d] + s * eps
                    v[d] = a * eps - s * x0[d]
                }
            }
        }
        head.forward(params, ws.headActs, xt: ws.noisy, t: ws.times, h: ws.condRows, N: NH)
        let loss = mseLossForward(pred: ws.headActs.output, target: ws.target, count: NH * D)
        ws.dPrediction.update(repeating: 0, count: NH * D)
        mseLossBackward(dpred: ws.dPrediction, pred: ws.headActs.output, target: ws.target, count: NH * D)
        ws.dCondRows.update(repeating: 0, count: NH * C)
        head.backward(params, ws.headActs, dout: ws.dPrediction, xt: ws.noisy, h: ws.condRows, dxt: nil, dh: ws.dCondRows)
        for k in 0..<K {
            for (q, r) in layout.diffusionTokens.enumerated() {
                let src = ws.dCondRows + (k * NP + q) * C, dst = ws.dLMOut + layout.predictRows[r] * C
                for c in 0..<C { dst[c] += src[c] }
            }
        }
        return loss
    }

    /// BCE of the stop head (linear on the LM state) at LM rows `rows` against `targets`
    /// (0/1, or probabilities: then the BCE is the KL to them plus their entropy); its gradient
    /// goes into the stop head's parameters and `ws.dLMOut`.
    func stopLossAndGradient(rows: [Int], targets: [Float], _ ws: ARDMTrainingWorkspace, weight: Float) -> Float {
        let C = config.lm.channels, hOut = ws.lmActs.output
        let w = params.values.base, g = params.grads.base, N = rows.count
        for (r, row) in rows.enumerated() {
            ws.stopLogits[r] = stopLogit(hOut + row * C)
            ws.stopTargets[r] = targets[r]
        }
        let loss = bceWithLogitsForward(logits: ws.stopLogits, targets: ws.stopTargets, count: N)
        ws.dStop.update(repeating: 0, count: N)
        bceWithLogitsBackward(dlogits: ws.dStop, logits: ws.stopLogits, targets: ws.stopTargets, count: N, scale: weight)
        for (r, row) in rows.enumerated() {
            let d = ws.dStop[r]
            g[stopB] += d
            for c in 0..<C { g[stopW + c] += d * hOut[row * C + c]; ws.dLMOut[row * C + c] += d * w[stopW + c] }
        }
        return loss
    }

    /// Cross-entropy of the auxiliary phone head on the predicting rows (0 without targets).
    private func auxiliaryLossAndGradient(_ layout: StepLayout, _ ws: ARDMTrainingWorkspace, weight: Float) -> Float {
        guard let auxW, let auxB, layout.auxiliaryTargets.contains(where: { $0 >= 0 }) else { return 0 }
        let C = config.lm.channels, A = config.auxiliaryPhones, hOut = ws.lmActs.output
        let w = params.values.base, g = params.grads.base, NP = layout.predictRows.count
        for (r, row) in layout.predictRows.enumerated() { (ws.condRows + r * C).update(from: hOut + row * C, count: C) }
        linearForward(out: ws.auxLogits, inp: ws.condRows, weight: w + auxW, bias: w + auxB, N: NP, C: C, OC: A)
        let loss = softmaxCrossEntropyForward(probs: ws.auxProbs, logits: ws.auxLogits, targets: layout.auxiliaryTargets, N: NP, V: A)
        ws.dAux.update(repeating: 0, count: NP * A)
        softmaxCrossEntropyBackward(dlogits: ws.dAux, probs: ws.auxProbs, targets: layout.auxiliaryTargets, N: NP, V: A, scale: weight)
        ws.dCondRows.update(repeating: 0, count: NP * C)
        linearBackward(dinp: ws.dCondRows, dweight: g + auxW, dbias: g + auxB, dout: ws.dAux, inp: ws.condRows,
                       weight: w + auxW, N: NP, C: C, OC: A)
        for (r, row) in layout.predictRows.enumerated() {
            for c in 0..<C { ws.dLMOut[row * C + c] += ws.dCondRows[r * C + c] }
        }
        return loss
    }

    /// The LM's input gradient into the text embedding rows and the speech projection, whose
    /// input was `history`.
    func inputsBackward(_ layout: StepLayout, _ ws: ARDMTrainingWorkspace, history: UnsafePointer<Float>) {
        let C = config.lm.channels, D = config.tokenWidth
        let w = params.values.base, g = params.grads.base, dIn = ws.lmActs.inputGradient
        for (id, row) in zip(layout.textIDs, layout.textRows) {
            let dst = g + textEmbedding + Int(id) * C, src = dIn + row * C
            for c in 0..<C { dst[c] += src[c] }
        }
        for (r, row) in layout.speechRows.enumerated() { (ws.dSpeechProj + r * C).update(from: dIn + row * C, count: C) }
        linearBackward(dinp: nil, dweight: g + speechInW, dbias: g + speechInB, dout: ws.dSpeechProj, inp: history,
                       weight: w + speechInW, N: layout.speechRows.count, C: D, OC: C)
    }
}
