import ARDM
import NN
import Testing

@Suite struct ARDMTrainingTests {
    /// The whole training step (embeddings, LM, head with K noisy copies, stop and auxiliary
    /// heads) against finite differences of its loss, with the step's randomness fixed by a seed.
    @Test func trainingStepGradients() {
        let model = ARDM(config: TinyModels.config())
        model.initialize(seed: 3)
        var rng = RNG(seed: 4)
        // Non-zero head output and adaLN weights so every path carries gradient.
        rng.fillNormal(model.params.values.base, count: model.params.values.count, std: 0.3)
        let batch = TinyModels.examples(count: 3, D: model.config.tokenWidth)
        let ws = ARDMTrainingWorkspace(model: model, maxB: 3, maxT: 20, timesPerToken: 2)
        func loss() -> Double {
            var r = RNG(seed: 11)
            return Double(model.trainingStep(batch, ws, rng: &r).total)
        }
        model.params.zeroGrads()
        _ = loss()
        let analytic = model.params.grads.toArray()
        let eps: Float = 1e-2
        for e in model.params.layout.entries {
            var diff = 0.0, normA = 0.0, normN = 0.0
            for i in stride(from: e.offset, to: e.offset + e.count, by: max(1, e.count / 6)) {
                let saved = model.params.values.base[i]
                model.params.values.base[i] = saved + eps
                let lp = loss()
                model.params.values.base[i] = saved - eps
                let lm = loss()
                model.params.values.base[i] = saved
                let numeric = (lp - lm) / (2 * Double(eps)), a = Double(analytic[i])
                diff += (numeric - a) * (numeric - a); normA += a * a; normN += numeric * numeric
            }
            let rel = diff.squareRoot() / max(normA.squareRoot() + normN.squareRoot(), 1e-9)
            #expect(rel < 3e-2, "gradient of \(e.name): relative error \(rel)")
        }
    }

    /// A tiny model fits a few sequences: the diffusion and stop losses fall well below where
    /// they start (issue 10, must show 5).
    @Test func tinyModelOverfitsAFewExamples() {
        let model = ARDM(config: TinyModels.config(dropout: 0))
        model.initialize(seed: 5)
        let batch = TinyModels.examples(count: 4, D: model.config.tokenWidth)
        let ws = ARDMTrainingWorkspace(model: model, maxB: 4, maxT: 20, timesPerToken: 4)
        var rng = RNG(seed: 6)
        var optimizer = AdamW()
        var first: ARDMLosses?, last: [ARDMLosses] = []
        for step in 0..<300 {
            model.params.zeroGrads()
            let losses = model.trainingStep(batch, ws, rng: &rng)
            clipGradientNorm(model.params, maxNorm: 1)
            optimizer.update(model.params, lr: 3e-3)
            if step == 0 { first = losses }
            if step >= 280 { last.append(losses) }
        }
        let diffusion = last.map(\.diffusion).reduce(0, +) / Float(last.count)
        let stop = last.map(\.stop).reduce(0, +) / Float(last.count)
        #expect(diffusion < 0.5 * first!.diffusion, "diffusion loss \(first!.diffusion) -> \(diffusion)")
        #expect(stop < 0.1, "stop loss \(first!.stop) -> \(stop)")
    }
}
