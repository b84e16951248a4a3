import ARDM
import NN

/// A score network for the Gaussian toy: the production diffusion head predicting v for the
/// noisy token y (2) at time t, conditioned on the context (x₁ and a flag when generating
/// token 2, zeros for token 1), sampled token by token with the production `DDPMStep`.
final class ToyPolicyNetwork {
    let head: DiffusionHead
    let params: ParameterSet
    let acts: HeadActivations
    let maxRows: Int

    init(seed: UInt64, maxRows: Int) {
        var layout = Layout()
        head = DiffusionHead(config: .init(width: 48, blocks: 2, timeFrequencies: 16), inputWidth: GaussianToy.width,
                             conditionWidth: ToyValueNetwork.contextWidth, outputWidth: GaussianToy.width, prefix: "", layout: &layout)
        params = ParameterSet(layout: layout)
        var rng = RNG(seed: seed)
        head.initialize(params, &rng)
        acts = HeadActivations(head: head, maxRows: maxRows)
        self.maxRows = maxRows
    }

    /// A frozen copy (the reference μ of fine-tuning).
    func copy() -> ToyPolicyNetwork {
        let other = ToyPolicyNetwork(seed: 0, maxRows: maxRows)
        other.params.values.base.update(from: params.values.base, count: params.values.count)
        return other
    }

    /// v for rows of (context (3), y (2), t); the output stays in `acts.output`.
    func forward(contexts: [Float], ys: [Float], times: [Float]) {
        head.forward(params, acts, xt: ys, t: times, h: contexts, N: times.count)
    }

    /// Pre-training by denoising score matching on exact samples of μ (v-prediction MSE).
    func pretrain(toy: GaussianToy, steps: Int, batch: Int, seed: UInt64) {
        var rng = RNG(seed: seed)
        var optimizer = AdamW(weightDecay: 0)
        let d = GaussianToy.width
        var ys = [Float](), contexts = [Float](), times = [Float](), targets = [Float]()
        var dout = [Float](repeating: 0, count: batch * d)
        for step in 0..<steps {
            ys.removeAll(keepingCapacity: true); contexts.removeAll(keepingCapacity: true)
            times.removeAll(keepingCapacity: true); targets.removeAll(keepingCapacity: true)
            for x in toy.sample(count: batch, rng: &rng) {
                let n = rng.int(below: GaussianToy.tokens)
                let t = NoiseSchedule.minimumTime + (NoiseSchedule.maximumTime - NoiseSchedule.minimumTime) * rng.uniform()
                let a = NoiseSchedule.alpha(t), s = NoiseSchedule.sigma(t)
                for j in 0..<d {
                    let eps = rng.normal(), x0 = Float(x[n * d + j])
                    ys.append(a * x0 + s * eps); targets.append(a * eps - s * x0)
                }
                contexts += ToyValueNetwork.context(n: n, history: x[...]); times.append(t)
            }
            forward(contexts: contexts, ys: ys, times: times)
            for i in 0..<(batch * d) { dout[i] = 2 * (acts.output[i] - targets[i]) / Float(batch * d) }
            params.zeroGrads()
            head.backward(params, acts, dout: dout, xt: ys, h: contexts, dxt: nil, dh: nil)
            optimizer.update(params, lr: step < steps / 2 ? 3e-3 : (step < 3 * steps / 4 ? 1e-3 : 3e-4))
        }
    }

    /// `count` samples (count, 4) by DDPM over both tokens, `steps` steps each.
    func sample(count: Int, steps: Int, rng: inout RNG) -> [[Double]] {
        let d = GaussianToy.width, times = NoiseSchedule.samplingTimes(steps: steps)
        var xs = [[Double]](repeating: [0, 0, 0, 0], count: count)
        var start = 0
        while start < count {
            let rows = min(maxRows, count - start)
            var y = (0..<(rows * d)).map { _ in rng.normal() }
            for n in 0..<GaussianToy.tokens {
                if n > 0 { for i in 0..<(rows * d) { y[i] = rng.normal() } }
                let contexts = (0..<rows).flatMap { ToyValueNetwork.context(n: n, history: xs[start + $0][...]) }
                for k in 0..<steps {
                    forward(contexts: contexts, ys: y, times: [Float](repeating: times[k], count: rows))
                    let step = DDPMStep(t: times[k], s: times[k + 1])
                    y.withUnsafeMutableBufferPointer { yb in
                        for i in 0..<rows {
                            let v = acts.output + i * d
                            step.apply(x: yb.baseAddress! + i * d, branches: v, weights: [1], D: d, correction: nil, rng: &rng)
                        }
                    }
                }
                for i in 0..<rows { for j in 0..<d { xs[start + i][n * d + j] = Double(y[i * d + j]) } }
            }
            start += rows
        }
        return xs
    }
}
