import Foundation

/// AdamW (Loshchilov & Hutter) with the paper's settings as defaults: β1 0.9, β2 0.95,
/// weight decay 0.01 on matrices only (the layout's `decays` flag).
public struct AdamW: Sendable {
    public var beta1: Float = 0.9
    public var beta2: Float = 0.95
    public var epsilon: Float = 1e-8
    public var weightDecay: Float = 0.01
    /// Steps taken so far (bias correction uses it; saved in checkpoints for exact resume).
    public var step = 0

    public init(beta1: Float = 0.9, beta2: Float = 0.95, epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon; self.weightDecay = weightDecay
    }

    /// One update of every parameter from its gradient at learning rate `lr`.
    public mutating func update(_ params: ParameterSet, lr: Float) {
        step += 1
        let c1 = 1 - powf(beta1, Float(step)), c2 = 1 - powf(beta2, Float(step))
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        let m = params.firstMoment.base, v = params.secondMoment.base
        let w = params.values.base, g = params.grads.base
        for e in params.layout.entries {
            let decay: Float = e.decays ? 1 - lr * weightDecay : 1
            Parallel.forRanges(e.count, grain: 65_536) { range in
                for i in (e.offset + range.lowerBound)..<(e.offset + range.upperBound) {
                    let gi = g[i]
                    m[i] = b1 * m[i] + (1 - b1) * gi
                    v[i] = b2 * v[i] + (1 - b2) * gi * gi
                    let mhat = m[i] / c1, vhat = v[i] / c2
                    w[i] = w[i] * decay - lr * mhat / (vhat.squareRoot() + eps)
                }
            }
        }
    }
}

/// Scales all gradients so that their global L2 norm is at most `maxNorm`; returns the norm
/// before clipping (logged: a spiking norm is the first sign of a diverging run).
@discardableResult
public func clipGradientNorm(_ params: ParameterSet, maxNorm: Float) -> Float {
    let g = params.grads.base
    var ss = 0.0
    for e in params.layout.entries {
        for i in e.offset..<(e.offset + e.count) { ss += Double(g[i] * g[i]) }
    }
    let norm = Float(ss.squareRoot())
    if norm > maxNorm && norm.isFinite {
        let k = maxNorm / (norm + 1e-6)
        for i in 0..<params.grads.count { g[i] *= k }
    }
    return norm
}

/// Linear warm-up to `peak`, then cosine decay to `floor` at `totalSteps`; optionally cut short
/// by a linear cool-down to `floor` from step `cooldown.start` over `cooldown.steps` steps.
public struct LearningRateSchedule: Codable, Sendable {
    /// Where a long cosine run is branched off and brought to the floor early (warmup-stable-decay
    /// style): most of a schedule's final loss drop comes from its low-rate end, so a cool-down
    /// shows what the run's weights are worth now without waiting for the cosine's end.
    public struct Cooldown: Codable, Sendable {
        public var start: Int
        public var steps: Int
        public init(start: Int, steps: Int) { self.start = start; self.steps = steps }
        public var end: Int { start + steps }
    }

    public var peak: Float
    public var floor: Float
    public var warmupSteps: Int
    public var totalSteps: Int
    public var cooldown: Cooldown?

    public init(peak: Float, floor: Float = 0, warmupSteps: Int, totalSteps: Int, cooldown: Cooldown? = nil) {
        self.peak = peak; self.floor = floor; self.warmupSteps = warmupSteps; self.totalSteps = totalSteps
        self.cooldown = cooldown
    }

    /// The rate for step `s` (0-based).
    public func rate(at s: Int) -> Float {
        guard let cooldown, s > cooldown.start else { return cosineRate(at: s) }
        let from = cosineRate(at: cooldown.start)
        let progress = min(1, Float(s - cooldown.start) / Float(max(1, cooldown.steps)))
        return from + (floor - from) * progress
    }

    private func cosineRate(at s: Int) -> Float {
        if s < warmupSteps { return peak * Float(s + 1) / Float(warmupSteps) }
        guard totalSteps > warmupSteps else { return peak }
        let progress = min(1, Float(s - warmupSteps) / Float(totalSteps - warmupSteps))
        return floor + (peak - floor) * 0.5 * (1 + cosf(.pi * progress))
    }

    /// The rate for step `s` of a run continued at step `start` with fresh optimiser moments:
    /// the schedule's rate, ramped up again linearly over `warmupSteps` from `start`, so the
    /// first updates (with second moments estimated from a handful of gradients) stay small.
    public func rate(at s: Int, rewarmingFrom start: Int?) -> Float {
        guard let start, s >= start, warmupSteps > 0 else { return rate(at: s) }
        return rate(at: s) * min(1, Float(s - start + 1) / Float(warmupSteps))
    }
}
