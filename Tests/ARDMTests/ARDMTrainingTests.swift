import ARDM
import GradientChecking
import NN
import Testing

@Suite struct ARDMTrainingTests {
    /// The whole training step (embeddings, LM, head with K noisy copies, stop and auxiliary
    /// heads) against finite differences of its loss, with the step's randomness fixed by a seed;
    /// with history noise the speech projection's gradient must come from the noisy tokens the
    /// LM read, not the clean targets.
    @Test(arguments: [Float(0), 0.5])
    func trainingStepGradients(historyNoise: Float) {
        let model = TinyModels.randomModel(seed: 3, std: 0.3)
        let batch = TinyModels.examples(count: 3, D: model.config.tokenWidth)
        let ws = ARDMTrainingWorkspace(model: model, maxB: 3, maxT: 20, timesPerToken: 2)
        checkStepGradients(model.params) {
            var r = RNG(seed: 11)
            return model.trainingStep(batch, ws, rng: &r, historyNoise: historyNoise).total
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
