import NN

/// A finished trajectory and its reward: the sequence the value model reads and the number it
/// learns to predict from any noisy point of it.
public struct ValueExample: Sendable {
    public var example: ARDMExample
    public var reward: Float
    public init(example: ARDMExample, reward: Float) { self.example = example; self.reward = reward }
}

/// What one value step measured.
public struct ValueStepResult: Sendable {
    /// Mean of the objective's terms.
    public var loss: Float
    /// Mean |V − r| over the sampled points (comparable across objectives).
    public var absoluteError: Float
    public init(loss: Float, absoluteError: Float) { self.loss = loss; self.absoluteError = absoluteError }
}

extension ARDM {
    /// One step of Algorithm 1 on a batch: for every trajectory, `ws.timesPerToken` random
    /// generated tokens n (never prompt tokens) each at a random diffusion time t; the value
    /// head reads x_n^t = α_t x_n + σ_t ε with the LM state before token n and is pulled toward
    /// the trajectory's reward by `objective`. Accumulates gradients into `params.grads` (the
    /// caller zeroes them and steps the optimiser).
    public func valueTrainingStep(_ batch: [ValueExample], _ ws: ARDMTrainingWorkspace, objective: ValueObjective,
                                  rng: inout RNG) -> ValueStepResult {
        let points = valueForward(batch, ws, rng: &rng)
        let result = valueLoss(points, ws, objective: objective, gradient: true)
        let C = config.lm.channels, N = points.rows.count
        ws.dCondRows.update(repeating: 0, count: N * C)
        head.backward(params, ws.headActs, dout: ws.dPrediction, xt: ws.noisy, h: ws.condRows, dxt: nil, dh: ws.dCondRows)
        ws.dLMOut.update(repeating: 0, count: points.layout.B * points.layout.T * C)
        for (j, row) in points.rows.enumerated() {
            let src = ws.dCondRows + j * C, dst = ws.dLMOut + row * C
            for c in 0..<C { dst[c] += src[c] }
        }
        lm.backward(params, ws.lmActs, dout: ws.dLMOut) { _ in nil }
        inputsBackward(points.layout, ws)
        return result
    }

    /// The same points and loss without gradients: value training's validation.
    public func valueValidation(_ batch: [ValueExample], _ ws: ARDMTrainingWorkspace, objective: ValueObjective,
                                rng: inout RNG) -> ValueStepResult {
        valueLoss(valueForward(batch, ws, rng: &rng), ws, objective: objective, gradient: false)
    }

    /// Where the sampled points sit: the batch layout, the LM row that predicts each point's
    /// token, and the reward each point is fitted to.
    private struct ValuePoints { let layout: StepLayout; let rows: [Int]; let rewards: [Float] }

    /// LM over the whole batch, K (n, t) points per trajectory drawn and noised, value head
    /// forward on them (predictions in `ws.headActs.output`).
    private func valueForward(_ batch: [ValueExample], _ ws: ARDMTrainingWorkspace, rng: inout RNG) -> ValuePoints {
        precondition(config.isValueModel, "value training needs a value model (ARDM.makeValueModel)")
        precondition(batch.count <= ws.maxB, "batch of \(batch.count) exceeds the workspace's \(ws.maxB)")
        let examples = batch.map(\.example)
        let layout = StepLayout(batch: examples, bos: config.bosID, sep: config.sepID, dropout: 0,
                                tokenWidth: config.tokenWidth, rng: &rng)
        precondition(layout.T <= ws.maxT, "sequence of \(layout.T) positions exceeds the workspace's \(ws.maxT)")
        embedInputs(examples, layout, ws)
        lm.forward(params, ws.lmActs, B: layout.B, T: layout.T, positions: layout.positions, textLengths: layout.textLengths)
        let C = config.lm.channels, D = config.tokenWidth, K = ws.timesPerToken
        var rows: [Int] = [], rewards: [Float] = []
        var firstToken = 0
        for (b, example) in examples.enumerated() {
            let S = layout.speechCounts[b], first = example.promptTokenCount
            precondition(S > first, "trajectory \(b) has no generated tokens to value")
            for _ in 0..<K {
                let i = first + rng.int(below: S - first), j = rows.count
                rows.append(layout.predictRows[firstToken + i]); rewards.append(batch[b].reward)
                (ws.condRows + j * C).update(from: ws.lmActs.output + rows[j] * C, count: C)
                let t = NoiseSchedule.minimumTime + (NoiseSchedule.maximumTime - NoiseSchedule.minimumTime) * rng.uniform()
                ws.times[j] = t
                let a = NoiseSchedule.alpha(t), s = NoiseSchedule.sigma(t)
                let x0 = ws.speechIn + (firstToken + i) * D, xt = ws.noisy + j * D
                for d in 0..<D { xt[d] = a * x0[d] + s * rng.normal() }
            }
            firstToken += S
        }
        head.forward(params, ws.headActs, xt: ws.noisy, t: ws.times, h: ws.condRows, N: rows.count)
        return ValuePoints(layout: layout, rows: rows, rewards: rewards)
    }

    /// The objective over the points; with `gradient`, dL/dV per point into `ws.dPrediction`.
    private func valueLoss(_ points: ValuePoints, _ ws: ARDMTrainingWorkspace, objective: ValueObjective,
                           gradient: Bool) -> ValueStepResult {
        let N = points.rewards.count
        var loss: Float = 0, absoluteError: Float = 0
        for (j, reward) in points.rewards.enumerated() {
            let v = ws.headActs.output[j], term = objective.term(prediction: v, reward: reward)
            loss += term.loss; absoluteError += abs(v - reward)
            if gradient { ws.dPrediction[j] = term.gradient / Float(N) }
        }
        return ValueStepResult(loss: loss / Float(N), absoluteError: absoluteError / Float(N))
    }
}
