import NN

/// A finished trajectory and its reward: the sequence the value model reads and the number it
/// learns to predict from any noisy point of it.
public struct ValueExample: Sendable {
    public var example: ARDMExample
    public var reward: Float
    /// The rollout group (one prompt and text, several samples) it belongs to, if any.
    public var group: Int?
    /// A target per generated token that replaces `reward` at points of that token (the part of
    /// a reward located near it, e.g. a window of CTC likelihood shares), when the trajectory has them.
    public var tokenTargets: [Float]?
    public init(example: ARDMExample, reward: Float, group: Int? = nil, tokenTargets: [Float]? = nil) {
        self.example = example; self.reward = reward; self.group = group; self.tokenTargets = tokenTargets
    }

    /// What V should predict at a point of generated token `n` (0 = the first after the prompt).
    func target(atGenerated n: Int) -> Float { tokenTargets?[n] ?? reward }
}

extension ARDM {
    /// One step of Algorithm 1 on a batch: for every trajectory, `ws.timesPerToken` random
    /// generated tokens n (never prompt tokens) each at a random diffusion time t; the value
    /// head reads x_n^t = α_t x_n + σ_t ε with the LM state before token n and is pulled toward
    /// the trajectory's reward (or token n's own target) by `objective`. Accumulates gradients
    /// into `params.grads` (the caller zeroes them and steps the optimiser).
    public func valueTrainingStep(_ batch: [ValueExample], _ ws: ARDMTrainingWorkspace, objective: ValueObjective,
                                  rng: inout RNG) -> ValueStepResult {
        let pass = valueForward(batch, ws, rng: &rng)
        let result = valueLoss(pass.labels, ws, objective: objective, gradient: true)
        backwardFromPoints(pass.points, ws)
        return result
    }

    /// The same points and loss without gradients: value training's validation.
    public func valueValidation(_ batch: [ValueExample], _ ws: ARDMTrainingWorkspace, objective: ValueObjective,
                                rng: inout RNG) -> ValueStepResult {
        valueLoss(valueForward(batch, ws, rng: &rng).labels, ws, objective: objective, gradient: false)
    }

    /// The reward, group and progress of every point.
    private struct PointLabels { var rewards: [Float], groups: [Int?], progress: [Float] }

    /// K (n, t) points per trajectory drawn and noised, the value head's forward at them
    /// (predictions in `ws.headActs.output`), and the labels of each point.
    private func valueForward(_ batch: [ValueExample], _ ws: ARDMTrainingWorkspace,
                              rng: inout RNG) -> (points: PointPass, labels: PointLabels) {
        precondition(config.isValueModel, "value training needs a value model (ARDM.makeValueModel)")
        let examples = batch.map(\.example)
        let points = DiffusionPoints(batch: examples, perSequence: ws.timesPerToken, tokenWidth: config.tokenWidth, rng: &rng)
        let pass = forwardAtPoints(examples, points, guidancePair: false, ws)
        let progress = points.points.map { p in
            let example = examples[p.sequence], first = example.promptTokenCount
            return Float(p.token - first) / Float(example.tokenCount(width: config.tokenWidth) - first)
        }
        let targets = points.points.map { p in batch[p.sequence].target(atGenerated: p.token - examples[p.sequence].promptTokenCount) }
        return (pass, PointLabels(rewards: targets,
                                  groups: points.points.map { batch[$0.sequence].group }, progress: progress))
    }

    /// The objective over the points; with `gradient`, dL/dV per point into `ws.dPrediction`.
    private func valueLoss(_ labels: PointLabels, _ ws: ARDMTrainingWorkspace, objective: ValueObjective,
                           gradient: Bool) -> ValueStepResult {
        let rewards = labels.rewards, N = rewards.count
        var loss: Float = 0, absoluteError: Float = 0
        let predictions = (0..<N).map { ws.headActs.output[$0] }
        for (j, (v, reward)) in zip(predictions, rewards).enumerated() {
            let term = objective.term(prediction: v, reward: reward)
            loss += term.loss; absoluteError += abs(v - reward)
            if gradient { ws.dPrediction[j] = term.gradient / Float(N) }
        }
        return ValueStepResult(loss: loss / Float(N), absoluteError: absoluteError / Float(N),
                               predictions: predictions, targets: rewards, groups: labels.groups, progress: labels.progress)
    }
}
