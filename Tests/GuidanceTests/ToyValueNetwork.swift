import ARDM
import NN

/// A value network for the Gaussian toy, trained by Algorithm 1: the production diffusion head
/// with a scalar output (the value head), reading the noisy token y (2), the diffusion time and
/// the context (x₁ when valuing token 2, zeros when valuing token 1, and the token index).
final class ToyValueNetwork {
    static let contextWidth = 3
    let head: DiffusionHead
    let params: ParameterSet
    let acts: HeadActivations
    let maxRows: Int

    init(seed: UInt64, maxRows: Int) {
        var layout = Layout()
        head = DiffusionHead(config: .init(width: 32, blocks: 2, timeFrequencies: 16), inputWidth: GaussianToy.width,
                             conditionWidth: Self.contextWidth, outputWidth: 1, prefix: "", layout: &layout)
        params = ParameterSet(layout: layout)
        var rng = RNG(seed: seed)
        head.initialize(params, &rng)
        acts = HeadActivations(head: head, maxRows: maxRows)
        self.maxRows = maxRows
    }

    static func context(n: Int, history: ArraySlice<Double>) -> [Float] {
        n == 0 ? [0, 0, 0] : [Float(history[history.startIndex]), Float(history[history.startIndex + 1]), 1]
    }

    /// Algorithm 1 on exact samples of μ: each row a fresh trajectory x ~ μ with its reward, a
    /// random token n and time t, y = α·x_n + σ·ε.
    func train(toy: GaussianToy, objective: ValueObjective, steps: Int, batch: Int, seed: UInt64) {
        var rng = RNG(seed: seed)
        var optimizer = AdamW(weightDecay: 0)
        let d = GaussianToy.width
        var xt = [Float](repeating: 0, count: batch * d), times = [Float](repeating: 0, count: batch)
        var h = [Float](repeating: 0, count: batch * Self.contextWidth), dout = [Float](repeating: 0, count: batch)
        for step in 0..<steps {
            let xs = toy.sample(count: batch, rng: &rng)
            var rewards = [Float]()
            for (i, x) in xs.enumerated() {
                let n = rng.int(below: GaussianToy.tokens)
                let t = NoiseSchedule.minimumTime + (NoiseSchedule.maximumTime - NoiseSchedule.minimumTime) * rng.uniform()
                let a = NoiseSchedule.alpha(t), s = NoiseSchedule.sigma(t)
                for j in 0..<d { xt[i * d + j] = a * Float(x[n * d + j]) + s * rng.normal() }
                times[i] = t
                h.replaceSubrange((i * Self.contextWidth)..<((i + 1) * Self.contextWidth), with: Self.context(n: n, history: x[...]))
                rewards.append(Float(toy.reward(x)))
            }
            head.forward(params, acts, xt: xt, t: times, h: h, N: batch)
            for i in 0..<batch { dout[i] = objective.term(prediction: acts.output[i], reward: rewards[i]).gradient / Float(batch) }
            params.zeroGrads()
            head.backward(params, acts, dout: dout, xt: xt, h: h, dxt: nil, dh: nil)
            let lr: Float = step < steps / 2 ? 3e-3 : (step < 3 * steps / 4 ? 1e-3 : 3e-4)
            optimizer.update(params, lr: lr)
        }
    }

    /// ∇_y V_φ for a batch at one level, by the head's input backward (as ValueGuidance does).
    func gradient(level: GaussianToy.Level, histories: [Double], ys: [Double]) -> [Double] {
        let d = GaussianToy.width, count = ys.count / d
        var out = [Double]()
        out.reserveCapacity(ys.count)
        var start = 0
        while start < count {
            let rows = min(maxRows, count - start)
            let xt = ys[(start * d)..<((start + rows) * d)].map(Float.init)
            let times = [Float](repeating: level.t, count: rows)
            let h = (start..<(start + rows)).flatMap { Self.context(n: level.n, history: histories[($0 * 4)..<($0 * 4 + 4)]) }
            head.forward(params, acts, xt: xt, t: times, h: h, N: rows)
            var dxt = [Float](repeating: 0, count: rows * d)
            head.backward(params, acts, dout: [Float](repeating: 1, count: rows), xt: xt, h: h, dxt: &dxt, dh: nil,
                          parameterGradients: false)
            out += dxt.map(Double.init)
            start += rows
        }
        return out
    }
}
