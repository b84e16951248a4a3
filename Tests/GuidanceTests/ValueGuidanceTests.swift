import ARDM
import Guidance
import NN
import Testing

@Suite struct ValueGuidanceTests {
    /// A random base ARDM and a value model made from it, with a value head that is not zero.
    static func baseAndValue() -> (base: ARDM, value: ARDM) {
        let config = ARDMConfig(textVocabulary: 12, lm: TransformerConfig(channels: 16, layers: 2, heads: 2, maxPositions: 64),
                                head: .init(width: 24, blocks: 2, timeFrequencies: 8), melBins: 3, patchFrames: 2)
        let base = ARDM(config: config)
        base.initialize(seed: 1)
        var rng = RNG(seed: 2)
        rng.fillNormal(base.params.values.base, count: base.params.values.count, std: 0.3)
        let value = base.makeValueModel()
        rng.fillNormal(value.params.value("head.out.weight"), count: config.head.width, std: 0.5)
        return (base, value)
    }

    static func valueModel() -> ARDM { baseAndValue().value }

    /// Guided sampling gives a request the same tokens, bit for bit, alone or in a batch of
    /// three (the guide keeps each sequence's state apart, and the rows of its products do not
    /// depend on each other); and the guidance does act.
    @Test func guidedSamplingIsTheSameAloneOrBatched() {
        let (base, value) = Self.baseAndValue()
        let D = base.config.tokenWidth
        let sampler = ARDMSampler(model: base, maxBatch: 3, capacity: 40)
        let options = SamplingOptions(steps: 6, stopThreshold: 2)   // never stop: compare full lengths
        let prompt = (0..<(2 * D)).map { Float($0 % 5) * 0.1 }
        let requests = [SynthesisRequest(textIDs: [3, 4, 5], promptSpeech: prompt, seed: 1, maxTokens: 5),
                        SynthesisRequest(textIDs: [6, 7], promptSpeech: [], seed: 2, maxTokens: 4),
                        SynthesisRequest(textIDs: [8, 9, 10, 11], promptSpeech: Array(prompt.prefix(D)), seed: 3, maxTokens: 6)]
        func guide() -> ValueGuidance { ValueGuidance(value: value, scale: 4, maxBatch: 3, capacity: 40) }
        let batched = sampler.generate(requests, options: options, guidance: guide())
        let plain = sampler.generate(requests, options: options)
        for (r, request) in requests.enumerated() {
            let alone = sampler.generate([request], options: options, guidance: guide())[0]
            #expect(alone.tokens.map(\.bitPattern) == batched[r].tokens.map(\.bitPattern), "request \(r) alone differs from batched")
            #expect(plain[r].tokens != batched[r].tokens, "request \(r): guidance changed nothing")
        }
    }

    /// The correction is λ·σ_t·∇_{x_t}V: checked against central differences of V itself, for
    /// two sequences with different contexts (one has had a token appended).
    @Test func correctionIsTheScaledValueGradient() {
        let value = Self.valueModel()
        let D = value.config.tokenWidth, lambda: Float = 2.5, t: Float = 0.4
        let guide = ValueGuidance(value: value, scale: lambda, maxBatch: 2, capacity: 32)
        guide.admit(SynthesisRequest(textIDs: [3, 4, 5], promptSpeech: [], seed: 1, maxTokens: 4), slot: 0)
        guide.admit(SynthesisRequest(textIDs: [6, 7], promptSpeech: (0..<(2 * D)).map { Float($0) * 0.1 }, seed: 2, maxTokens: 4), slot: 1)
        guide.append(tokens: (0..<D).map { Float($0) * 0.2 - 0.5 }, sequences: [1])
        var rng = RNG(seed: 3)
        var xt = (0..<(2 * D)).map { _ in rng.normal() }
        var g = [Float](repeating: 0, count: 2 * D)
        guide.beginToken(times: [0.9, t], sequences: [0, 1])
        guide.epsilonCorrection(xt: xt, step: 1, t: t, sequences: [0, 1], into: &g)
        let eps: Float = 1e-2, factor = lambda * NoiseSchedule.sigma(t)
        for i in 0..<(2 * D) {
            let saved = xt[i]
            xt[i] = saved + eps
            let plus = guide.values(xt: xt, t: t, sequences: [0, 1])[i / D]
            xt[i] = saved - eps
            let minus = guide.values(xt: xt, t: t, sequences: [0, 1])[i / D]
            xt[i] = saved
            let numeric = factor * (plus - minus) / (2 * eps)
            #expect(abs(numeric - g[i]) < 2e-3 + 2e-2 * abs(numeric), "entry \(i): \(g[i]) vs finite differences \(numeric)")
        }
        #expect(g.contains { abs($0) > 1e-3 })
    }
}
