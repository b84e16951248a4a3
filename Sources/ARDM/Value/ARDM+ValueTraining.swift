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
    /// V and r at every sampled point, in order.
    public var predictions: [Float], targets: [Float]

    public init(loss: Float, absoluteError: Float, predictions: [Float] = [], targets: [Float] = []) {
        self.loss = loss; self.absoluteError = absoluteError; self.predictions = predictions; self.targets = targets
    }

    /// Pearson correlation of V with r over the points: whether V tells trajectories apart at
    /// all. The mean errors cannot say this when the targets are group-normalised (a constant V
    /// already scores |V − z| ≈ 0.8); nil with fewer than two points or a constant side.
    public var correlation: Float? {
        let n = Float(predictions.count)
        guard predictions.count > 1 else { return nil }
        let mv = predictions.reduce(0, +) / n, mr = targets.reduce(0, +) / n
        var cov: Float = 0, vv: Float = 0, rr: Float = 0
        for (v, r) in zip(predictions, targets) { cov += (v - mv) * (r - mr); vv += (v - mv) * (v - mv); rr += (r - mr) * (r - mr) }
        guard vv > 0, rr > 0 else { return nil }
        return cov / (vv * rr).squareRoot()
    }

    /// Several batches' results as one: point-weighted means and every point.
    public static func merged(_ results: [ValueStepResult]) -> ValueStepResult {
        let counts = results.map { Float($0.predictions.count) }, total = counts.reduce(0, +)
        guard total > 0 else { return ValueStepResult(loss: 0, absoluteError: 0) }
        return ValueStepResult(loss: zip(results, counts).map { $0.loss * $1 }.reduce(0, +) / total,
                               absoluteError: zip(results, counts).map { $0.absoluteError * $1 }.reduce(0, +) / total,
                               predictions: results.flatMap(\.predictions), targets: results.flatMap(\.targets))
    }
}

extension ARDM {
    /// One step of Algorithm 1 on a batch: for every trajectory, `ws.timesPerToken` random
    /// generated tokens n (never prompt tokens) each at a random diffusion time t; the value
    /// head reads x_n^t = α_t x_n + σ_t ε with the LM state before token n and is pulled toward
    /// the trajectory's reward by `objective`. Accumulates gradients into `params.grads` (the
    /// caller zeroes them and steps the optimiser).
    public func valueTrainingStep(_ batch: [ValueExample], _ ws: ARDMTrainingWorkspace, objective: ValueObjective,
                                  rng: inout RNG) -> ValueStepResult {
        let (pass, rewards) = valueForward(batch, ws, rng: &rng)
        let result = valueLoss(rewards, ws, objective: objective, gradient: true)
        backwardFromPoints(pass, ws)
        return result
    }

    /// The same points and loss without gradients: value training's validation.
    public func valueValidation(_ batch: [ValueExample], _ ws: ARDMTrainingWorkspace, objective: ValueObjective,
                                rng: inout RNG) -> ValueStepResult {
        valueLoss(valueForward(batch, ws, rng: &rng).rewards, ws, objective: objective, gradient: false)
    }

    /// K (n, t) points per trajectory drawn and noised, the value head's forward at them
    /// (predictions in `ws.headActs.output`), and the reward each point is fitted to.
    private func valueForward(_ batch: [ValueExample], _ ws: ARDMTrainingWorkspace,
                              rng: inout RNG) -> (pass: PointPass, rewards: [Float]) {
        precondition(config.isValueModel, "value training needs a value model (ARDM.makeValueModel)")
        let examples = batch.map(\.example)
        let points = DiffusionPoints(batch: examples, perSequence: ws.timesPerToken, tokenWidth: config.tokenWidth, rng: &rng)
        let pass = forwardAtPoints(examples, points, guidancePair: false, ws)
        return (pass, points.points.map { batch[$0.sequence].reward })
    }

    /// The objective over the points; with `gradient`, dL/dV per point into `ws.dPrediction`.
    private func valueLoss(_ rewards: [Float], _ ws: ARDMTrainingWorkspace, objective: ValueObjective,
                           gradient: Bool) -> ValueStepResult {
        let N = rewards.count
        var loss: Float = 0, absoluteError: Float = 0
        let predictions = (0..<N).map { ws.headActs.output[$0] }
        for (j, (v, reward)) in zip(predictions, rewards).enumerated() {
            let term = objective.term(prediction: v, reward: reward)
            loss += term.loss; absoluteError += abs(v - reward)
            if gradient { ws.dPrediction[j] = term.gradient / Float(N) }
        }
        return ValueStepResult(loss: loss / Float(N), absoluteError: absoluteError / Float(N),
                               predictions: predictions, targets: rewards)
    }
}
