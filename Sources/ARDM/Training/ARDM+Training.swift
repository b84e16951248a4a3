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
    /// Per sequence b with L_b text positions ([BOS] … [SEP]) and S_b speech tokens, the LM row
    /// L_b − 1 + i predicts speech token i (i < S_b) through the head, and rows L_b − 1 … L_b − 1 + S_b
    /// carry the stop target (1 only on the last, after the final token). With probability
    /// `conditionDropout` a sequence's text is dropped (`[BOS][SEP]` only): the unconditional
    /// model that LM guidance subtracts.
    /// `conditionDropout` overrides the config's (validation uses 0).
    public func trainingStep(_ batch: [ARDMExample], _ ws: ARDMTrainingWorkspace, rng: inout RNG,
                             weights: ARDMLossWeights = ARDMLossWeights(), conditionDropout: Float? = nil) -> ARDMLosses {
        let dropout = conditionDropout ?? config.conditionDropout
        let C = config.lm.channels, D = config.tokenWidth, K = ws.timesPerToken, A = config.auxiliaryPhones
        let B = batch.count
        precondition(B <= ws.maxB, "batch of \(B) exceeds the workspace's \(ws.maxB)")
        // Sequence layout after condition dropout.
        var dropped: [Bool] = []
        let texts: [[Int32]] = batch.map { ex in
            let keep = rng.uniform() >= dropout
            dropped.append(!keep)
            return [config.bosID] + (keep ? ex.textIDs : []) + [config.sepID]
        }
        let speechCounts = batch.map { $0.tokenCount(width: D) }
        let T = zip(texts, speechCounts).map { $0.count + $1 }.max()!
        precondition(T <= ws.maxT, "sequence of \(T) positions exceeds the workspace's \(ws.maxT)")
        let w = params.values.base, g = params.grads.base
        // Inputs: text embeddings, and speech tokens through one projection GEMM.
        var speechRowOf: [Int] = []          // LM row of every speech token, batch order
        var positions = [Int32](repeating: 0, count: B * T)
        var textRows: [Int32] = [], textRowIndex: [Int] = []
        ws.lmActs.input.update(repeating: 0, count: B * T * C)
        for b in 0..<B {
            let L = texts[b].count, S = speechCounts[b]
            for (j, id) in texts[b].enumerated() { textRows.append(id); textRowIndex.append(b * T + j); positions[b * T + j] = Int32(j) }
            for i in 0..<(T - L) { positions[b * T + L + i] = Int32(i) }
            batch[b].speech.withUnsafeBufferPointer { src in
                (ws.speechIn + speechRowOf.count * D).update(from: src.baseAddress!, count: S * D)
            }
            for i in 0..<S { speechRowOf.append(b * T + L + i) }
        }
        let NS = speechRowOf.count
        for (r, id) in textRows.enumerated() {
            (ws.lmActs.input + textRowIndex[r] * C).update(from: w + textEmbedding + Int(id) * C, count: C)
        }
        linearForward(out: ws.speechProj, inp: ws.speechIn, weight: w + speechInW, bias: w + speechInB, N: NS, C: D, OC: C)
        for (r, row) in speechRowOf.enumerated() { (ws.lmActs.input + row * C).update(from: ws.speechProj + r * C, count: C) }
        lm.forward(params, ws.lmActs, B: B, T: T, positions: positions, textLengths: texts.map { Int32($0.count) })
        let hOut = ws.lmActs.output
        // Guided-attention prior on the alignment heads.
        let alignmentLayers = config.lm.alignmentLayers ?? []
        let prior = AlignmentPrior(
            sequences: batch.indices.map { b in
                let ex = batch[b], S = speechCounts[b]
                return AlignmentPrior.Sequence(promptText: ex.promptTextCount, targetText: ex.textIDs.count - ex.promptTextCount,
                                               promptTokens: ex.promptTokenCount, targetTokens: S - ex.promptTokenCount,
                                               speechStart: texts[b].count, dropped: dropped[b])
            },
            width: config.alignmentWidth, T: T, heads: config.lm.heads)
        var alignmentLoss: Float = 0
        if config.alignmentPenalty > 0 && !alignmentLayers.isEmpty {
            for l in alignmentLayers { alignmentLoss += prior.loss(probabilities: lm.attentionProbabilities(ws.lmActs, layer: l)) }
            alignmentLoss /= Float(alignmentLayers.count)
        }

        // Rows that predict: token i of sequence b from row L_b − 1 + i; stop rows one further.
        var predictRows: [Int] = [], stopRows: [Int] = [], stopLast: [Bool] = [], auxTargets: [Int32] = []
        for b in 0..<B {
            let L = texts[b].count, S = speechCounts[b]
            for i in 0..<S { predictRows.append(b * T + L - 1 + i); auxTargets.append(batch[b].auxiliaryTargets[i]) }
            for i in 0...S { stopRows.append(b * T + L - 1 + i); stopLast.append(i == S) }
        }
        let NP = predictRows.count, NH = K * NP
        // Diffusion: K noisy versions of every token, v-prediction target.
        for k in 0..<K {
            for (r, row) in predictRows.enumerated() {
                let n = k * NP + r
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
        let diffusionLoss = mseLossForward(pred: ws.headActs.output, target: ws.target, count: NH * D)
        ws.dPrediction.update(repeating: 0, count: NH * D)
        mseLossBackward(dpred: ws.dPrediction, pred: ws.headActs.output, target: ws.target, count: NH * D)
        ws.dCondRows.update(repeating: 0, count: NH * C)
        head.backward(params, ws.headActs, dout: ws.dPrediction, xt: ws.noisy, h: ws.condRows, dxt: nil, dh: ws.dCondRows)
        ws.dLMOut.update(repeating: 0, count: B * T * C)
        for k in 0..<K {
            for (r, row) in predictRows.enumerated() {
                let src = ws.dCondRows + (k * NP + r) * C, dst = ws.dLMOut + row * C
                for c in 0..<C { dst[c] += src[c] }
            }
        }
        // Stop head on its rows.
        let NSt = stopRows.count
        for (r, row) in stopRows.enumerated() {
            var logit = w[stopB]
            for c in 0..<C { logit += hOut[row * C + c] * w[stopW + c] }
            ws.stopLogits[r] = logit
            ws.stopTargets[r] = stopLast[r] ? 1 : 0
        }
        let stopLoss = bceWithLogitsForward(logits: ws.stopLogits, targets: ws.stopTargets, count: NSt)
        ws.dStop.update(repeating: 0, count: NSt)
        bceWithLogitsBackward(dlogits: ws.dStop, logits: ws.stopLogits, targets: ws.stopTargets, count: NSt, scale: weights.stop)
        for (r, row) in stopRows.enumerated() {
            let d = ws.dStop[r]
            g[stopB] += d
            for c in 0..<C { g[stopW + c] += d * hOut[row * C + c]; ws.dLMOut[row * C + c] += d * w[stopW + c] }
        }
        // Auxiliary phone head on the predicting rows.
        var auxLoss: Float = 0
        if let auxW, let auxB, auxTargets.contains(where: { $0 >= 0 }) {
            for (r, row) in predictRows.enumerated() { (ws.condRows + r * C).update(from: hOut + row * C, count: C) }
            linearForward(out: ws.auxLogits, inp: ws.condRows, weight: w + auxW, bias: w + auxB, N: NP, C: C, OC: A)
            auxLoss = softmaxCrossEntropyForward(probs: ws.auxProbs, logits: ws.auxLogits, targets: auxTargets, N: NP, V: A)
            ws.dAux.update(repeating: 0, count: NP * A)
            softmaxCrossEntropyBackward(dlogits: ws.dAux, probs: ws.auxProbs, targets: auxTargets, N: NP, V: A, scale: weights.auxiliary)
            ws.dCondRows.update(repeating: 0, count: NP * C)
            linearBackward(dinp: ws.dCondRows, dweight: g + auxW, dbias: g + auxB, dout: ws.dAux, inp: ws.condRows,
                           weight: w + auxW, N: NP, C: C, OC: A)
            for (r, row) in predictRows.enumerated() {
                for c in 0..<C { ws.dLMOut[row * C + c] += ws.dCondRows[r * C + c] }
            }
        }
        // Back through the LM to the embeddings and the speech projection.
        let priorScale = config.alignmentPenalty / Float(max(alignmentLayers.count, 1))
        lm.backward(params, ws.lmActs, dout: ws.dLMOut) { layer in
            priorScale > 0 && alignmentLayers.contains(layer) ? prior.gradient(scale: priorScale) : nil
        }
        let dIn = ws.lmActs.inputGradient
        textRows.withUnsafeBufferPointer { ids in
            for (r, id) in ids.enumerated() {
                let dst = g + textEmbedding + Int(id) * C, src = dIn + textRowIndex[r] * C
                for c in 0..<C { dst[c] += src[c] }
            }
        }
        for (r, row) in speechRowOf.enumerated() { (ws.dSpeechProj + r * C).update(from: dIn + row * C, count: C) }
        linearBackward(dinp: nil, dweight: g + speechInW, dbias: g + speechInB, dout: ws.dSpeechProj, inp: ws.speechIn,
                       weight: w + speechInW, N: NS, C: D, OC: C)
        let total = diffusionLoss + weights.stop * stopLoss + weights.auxiliary * auxLoss + config.alignmentPenalty * alignmentLoss
        return ARDMLosses(diffusion: diffusionLoss, stop: stopLoss, auxiliary: auxLoss, alignment: alignmentLoss, total: total)
    }
}
