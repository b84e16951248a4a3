import NN

/// Random (n, t) points of a batch of trajectories, each with its noise: the points where
/// value training, VGPO, the discriminator and DPO evaluate models. Drawn once, they let
/// several models (policy, reference, value, discriminator) read the same noisy tokens
/// x_n^t = α_t·x_n + σ_t·ε.
///
/// Only generated tokens are drawn (never prompt speech): the prompt is given, not sampled.
public struct DiffusionPoints: Sendable {
    /// Sequence b of the batch, its speech token i, diffusion time t.
    public struct Point: Sendable, Equatable { public var sequence: Int; public var token: Int; public var time: Float }
    public let points: [Point]
    /// ε of every point, (N, D).
    public let noise: [Float]
    public var count: Int { points.count }

    /// `perSequence` points per trajectory, token uniform over its generated tokens, t uniform
    /// over the training range, ε standard normal.
    public init(batch: [ARDMExample], perSequence K: Int, tokenWidth D: Int, rng: inout RNG) {
        var points: [Point] = [], noise: [Float] = []
        for (b, example) in batch.enumerated() {
            let S = example.tokenCount(width: D), first = example.promptTokenCount
            precondition(S > first, "trajectory \(b) has no generated tokens")
            for _ in 0..<K {
                let i = first + rng.int(below: S - first)
                let t = NoiseSchedule.minimumTime + (NoiseSchedule.maximumTime - NoiseSchedule.minimumTime) * rng.uniform()
                points.append(Point(sequence: b, token: i, time: t))
                for _ in 0..<D { noise.append(rng.normal()) }
            }
        }
        self.points = points; self.noise = noise
    }

    /// x_n^t of every point into `out (N, D)`.
    public func noisyTokens(_ batch: [ARDMExample], tokenWidth D: Int, into out: FloatPointer) {
        for (j, p) in points.enumerated() {
            let a = NoiseSchedule.alpha(p.time), s = NoiseSchedule.sigma(p.time)
            let x0 = batch[p.sequence].speech, base = p.token * D
            for d in 0..<D { out[j * D + d] = a * x0[base + d] + s * noise[j * D + d] }
        }
    }

    /// The clean token x_n of every point, (N, D).
    public func cleanTokens(_ batch: [ARDMExample], tokenWidth D: Int) -> [Float] {
        points.flatMap { p in batch[p.sequence].speech[(p.token * D)..<((p.token + 1) * D)] }
    }
}
