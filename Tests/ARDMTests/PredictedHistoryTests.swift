@testable import ARDM
import NN
import Testing

@Suite struct PredictedHistoryTests {
    static func model() -> ARDM { TinyModels.randomModel(seed: 3, std: 0.3) }

    /// Token i of sequence b in LM-input order, from `buffer`.
    static func token(_ buffer: UnsafePointer<Float>, _ layout: StepLayout, _ b: Int, _ i: Int, D: Int) -> [Float] {
        Array(UnsafeBufferPointer(start: buffer + (layout.firstTokens[b] + i) * D, count: D))
    }

    /// Prompt tokens and text-dropped sequences keep their true tokens; every target token of
    /// the other sequences is replaced; the true tokens (the diffusion targets) are untouched.
    @Test func replacesOnlyTheTargetsOfSequencesWithText() {
        let model = Self.model(), D = model.config.tokenWidth
        let batch = TinyModels.examples(count: 4, D: D)
        let dropped = [false, true, false, false]
        let layout = StepLayout(batch: batch, bos: model.config.bosID, sep: model.config.sepID, dropped: dropped, tokenWidth: D)
        let ws = ARDMTrainingWorkspace(model: model, maxB: 4, maxT: 20, timesPerToken: 2)
        model.copySpeech(batch, ws)
        var rng = RNG(seed: 5)
        let mixed = model.predictedHistory(batch, layout, ws, history: UnsafePointer(ws.speechIn), probability: 1, rng: &rng)
        #expect(mixed == UnsafePointer(ws.speechHistory))
        for (b, example) in batch.enumerated() {
            for i in 0..<layout.speechCounts[b] {
                let truth = Array(example.speech[(i * D)..<((i + 1) * D)])
                #expect(Self.token(ws.speechIn, layout, b, i, D: D) == truth)
                let read = Self.token(mixed, layout, b, i, D: D)
                if dropped[b] || i < example.promptTokenCount {
                    #expect(read == truth, "sequence \(b) token \(i) should stay true")
                } else {
                    #expect(read != truth && read.allSatisfy(\.isFinite), "sequence \(b) token \(i) should be predicted")
                }
            }
        }
        // Probability 0: nothing drawn, the history given back as it is.
        let same = model.predictedHistory(batch, layout, ws, history: UnsafePointer(ws.speechIn), probability: 0, rng: &rng)
        #expect(same == UnsafePointer(ws.speechIn))
    }

    /// The prediction is x̂₀ = α·x_t − σ·v̂: with the head's output layer zeroed (v̂ = 0) and every
    /// time at t, x̂₀ = α²·x₀ + α·σ·ε, so (x̂₀ − α²·x₀)/(α·σ) is standard normal over the
    /// replaced values (≈ 430 here: mean within 0.25 and std within 0.2 of N(0, 1), 5 and 6
    /// standard errors).
    @Test func predictionIsTheOneShotDenoisedToken() {
        let model = Self.model(), D = model.config.tokenWidth, head = model.head
        let w = model.params.values.base
        (w + head.outW).update(repeating: 0, count: head.outputWidth * head.config.width)
        (w + head.outB).update(repeating: 0, count: head.outputWidth)
        let batch = TinyModels.examples(count: 8, D: D, seed: 9) + TinyModels.examples(count: 8, D: D, seed: 10)
        let layout = StepLayout(batch: batch, bos: model.config.bosID, sep: model.config.sepID,
                                dropped: Array(repeating: false, count: batch.count), tokenWidth: D)
        let ws = ARDMTrainingWorkspace(model: model, maxB: batch.count, maxT: 20, timesPerToken: 2)
        model.copySpeech(batch, ws)
        let t: Float = 0.6, a = NoiseSchedule.alpha(t), s = NoiseSchedule.sigma(t)
        var rng = RNG(seed: 6)
        let mixed = model.predictedHistory(batch, layout, ws, history: UnsafePointer(ws.speechIn), probability: 1, rng: &rng,
                                           times: t...t)
        var z: [Float] = []
        for (b, example) in batch.enumerated() {
            for i in example.promptTokenCount..<layout.speechCounts[b] {
                let truth = Self.token(ws.speechIn, layout, b, i, D: D), read = Self.token(mixed, layout, b, i, D: D)
                z += zip(read, truth).map { ($0 - a * a * $1) / (a * s) }
            }
        }
        let mean = z.reduce(0, +) / Float(z.count)
        let std = (z.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(z.count)).squareRoot()
        #expect(z.count > 400)
        #expect(abs(mean) < 0.25, "mean \(mean) over \(z.count)")
        #expect(abs(std - 1) < 0.2, "std \(std) over \(z.count)")
    }

    /// A step with predicted histories reads them: the stop loss, which depends on the LM's
    /// states and not on the head's noise, differs from the same step on true histories.
    @Test func trainingStepReadsThePredictions() {
        let batch = TinyModels.examples(count: 3, D: TinyModels.config().tokenWidth)
        func loss(_ predicted: Float) -> ARDMLosses {
            let model = Self.model()
            let ws = ARDMTrainingWorkspace(model: model, maxB: 3, maxT: 20, timesPerToken: 2)
            var rng = RNG(seed: 11)
            return model.trainingStep(batch, ws, rng: &rng, conditionDropout: 0, predictedHistory: predicted)
        }
        let plain = loss(0), predicted = loss(1)
        #expect(predicted.total.isFinite)
        #expect(predicted.stop != plain.stop)
    }
}
