import ARDM
import NN
import Testing

/// A trained model grown deeper (`ARDM.grow`) computes what it did, and its added layers learn.
@Suite struct GrowthTests {
    static func grownConfig() -> ARDMConfig {
        var config = TinyModels.config()
        config.lm.layers += 1; config.head.blocks += 2
        return config
    }

    @Test func growsOnlyDeeper() {
        let source = TinyModels.config()
        #expect(Self.grownConfig().grows(from: source))
        #expect(!source.grows(from: source), "the same config is a copy, not growth")
        #expect(!source.grows(from: Self.grownConfig()), "fewer layers")
        var wider = Self.grownConfig()
        wider.head.width += 8
        #expect(!wider.grows(from: source), "a wider head is not growth")
    }

    /// The LM-guided prediction and stop probabilities of the grown model at the same points
    /// are the source's (its added blocks are the identity), while a training step gives the
    /// added LM block's output projections a gradient, so they do not stay the identity.
    @Test func grownModelComputesTheSame() {
        let source = TinyModels.randomModel(seed: 11, std: 0.3)
        let grown = ARDM(config: Self.grownConfig())
        grown.grow(from: source, seed: 5)
        let batch = TinyModels.examples(count: 4, D: source.config.tokenWidth)
        var rng = RNG(seed: 9)
        let points = DiffusionPoints(batch: batch, perSequence: 3, tokenWidth: source.config.tokenWidth, rng: &rng)
        let before = source.guidedPrediction(batch, points, cfg: 2,
                                             ARDMTrainingWorkspace(model: source, maxB: 8, maxT: 32, timesPerToken: 3))
        let ws = ARDMTrainingWorkspace(model: grown, maxB: 8, maxT: 32, timesPerToken: 3)
        let after = grown.guidedPrediction(batch, points, cfg: 2, ws)
        #expect(zip(before.v, after.v).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($0)) })
        #expect(zip(before.stop, after.stop).allSatisfy { abs($0 - $1) <= 1e-6 })

        grown.params.zeroGrads()
        var stepRNG = RNG(seed: 4)
        _ = grown.trainingStep(batch, ws, rng: &stepRNG)
        let added = "lm.blocks.\(source.config.lm.layers)."
        for name in [added + "attn.proj.weight", added + "mlp.proj.weight"] {
            let entry = grown.params.layout.entry(name)!
            let grad = grown.params.grad(name)
            #expect((0..<entry.count).contains { grad[$0] != 0 }, "\(name) gets no gradient")
        }
    }
}
