import NN

extension ARDM {
    /// Parallel scheduled sampling, against exposure bias: with probability `probability` per
    /// sequence (text kept), the target speech tokens the LM reads are replaced by the model's
    /// own one-shot predictions of them, x̂₀ = α_t·x_t − σ_t·v̂, each from its true token noised
    /// to a time t drawn from `times` and the LM state over `history`: one extra LM forward and
    /// a head forward, no gradient through them. Prompt tokens stay (at inference they are real
    /// speech), and so do text-dropped sequences (the sampler's unconditional half reads the
    /// guided tokens, not unconditional guesses). Noise near t = 1 gives the conditional mean,
    /// the blurred guess that a free-running model feeds itself where it is unsure; near t = 0
    /// the true token.
    ///
    /// Returns `history` itself when no sequence is drawn, else `ws.speechHistory` holding the
    /// mixed history (copied from `history` first when that is another buffer).
    func predictedHistory(_ batch: [ARDMExample], _ layout: StepLayout, _ ws: ARDMTrainingWorkspace,
                          history: UnsafePointer<Float>, probability: Float, rng: inout RNG,
                          times: ClosedRange<Float> = NoiseSchedule.minimumTime...NoiseSchedule.maximumTime)
        -> UnsafePointer<Float> {
        precondition(!config.isValueModel, "a value model predicts no tokens")
        let chosen = batch.indices.filter { b in rng.uniform() < probability && !layout.dropped[b] }
        let C = config.lm.channels, D = config.tokenWidth
        var tokens: [Int] = []   // flattened token index of every head row
        for b in chosen {
            for i in batch[b].promptTokenCount..<layout.speechCounts[b] { tokens.append(layout.firstTokens[b] + i) }
        }
        guard !tokens.isEmpty else { return history }
        precondition(tokens.count <= ws.headRows, "\(tokens.count) predicted tokens exceed the workspace's head rows")
        let mixed = UnsafePointer(ws.speechHistory)
        if history != mixed { ws.speechHistory.update(from: history, count: layout.speechRows.count * D) }

        embedInputs(layout, ws, history: history)
        lm.forward(params, ws.lmActs, B: layout.B, T: layout.T, positions: layout.positions, textLengths: layout.textLengths)
        for (n, token) in tokens.enumerated() {
            (ws.condRows + n * C).update(from: ws.lmActs.output + layout.predictRows[token] * C, count: C)
            let t = times.lowerBound + (times.upperBound - times.lowerBound) * rng.uniform()
            ws.times[n] = t
            let a = NoiseSchedule.alpha(t), s = NoiseSchedule.sigma(t)
            let x0 = ws.speechIn + token * D, xt = ws.noisy + n * D
            for d in 0..<D { xt[d] = a * x0[d] + s * rng.normal() }
        }
        head.forward(params, ws.headActs, xt: ws.noisy, t: ws.times, h: ws.condRows, N: tokens.count)
        let v = ws.headActs.output
        for (n, token) in tokens.enumerated() {
            let a = NoiseSchedule.alpha(ws.times[n]), s = NoiseSchedule.sigma(ws.times[n])
            for d in 0..<D { ws.speechHistory[token * D + d] = a * ws.noisy[n * D + d] - s * v[n * D + d] }
        }
        return mixed
    }
}
