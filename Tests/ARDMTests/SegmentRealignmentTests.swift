@testable import ARDM
import NN
import Testing

@Suite struct SegmentRealignmentTests {
    /// Speech of `count` tokens of width 3 whose token j is far from every other.
    static func distinctSpeech(_ count: Int) -> [Float] {
        (0..<count).flatMap { j in [Float(j), Float(j) * 0.5, -Float(j)] }
    }

    static func tokens(_ indices: [Int], of speech: [Float]) -> ArraySlice<Float> {
        ArraySlice(indices.flatMap { speech[($0 * 3)..<($0 * 3 + 3)] })
    }

    /// The corpus resumes after the token the segment's last token says: the same after a
    /// faithful segment, earlier after a repeat or a slow one, later after a skip.
    @Test func resumesAfterTheMatchedToken() {
        let speech = Self.distinctSpeech(20)
        func resume(_ indices: [Int]) -> Int {
            SegmentRealignment.resumeIndex(segment: Self.tokens(indices, of: speech), speech: speech, start: 5,
                                           window: 2 * indices.count, tokenWidth: 3)
        }
        #expect(resume([5, 6, 7, 8]) == 9)
        #expect(resume([5, 6, 6, 7]) == 8)
        #expect(resume([5, 5, 5, 6]) == 7)
        #expect(resume([5, 7, 9, 11]) == 12)
        #expect(resume([5]) == 6)
        // Near the end the window is clipped to the speech.
        #expect(SegmentRealignment.resumeIndex(segment: Self.tokens([18, 19, 19, 19], of: speech), speech: speech,
                                               start: 18, window: 8, tokenWidth: 3) == 20)
    }

    /// Prefix, segment, then the corpus from `resume`; phone classes likewise with −1 in the
    /// segment, which is marked generated.
    @Test func realignedExampleSplicesTheSegment() {
        let speech = Self.distinctSpeech(10), segment = Self.tokens([3, 3, 4], of: speech).map { $0 + 0.1 }
        let example = ARDMExample(textIDs: [3, 4], speech: speech, auxiliaryTargets: (0..<10).map(Int32.init))
        let rebuilt = example.realigned(segment: ArraySlice(segment), start: 3, resume: 5, tokenWidth: 3)
        #expect(rebuilt.speech == Array(speech[..<9]) + segment + Array(speech[15...]))
        #expect(rebuilt.auxiliaryTargets == [0, 1, 2, -1, -1, -1, 5, 6, 7, 8, 9])
        #expect(rebuilt.generated == 3..<6)
        #expect(rebuilt.history == nil)
        #expect(rebuilt.textIDs == example.textIDs)
    }

    /// The diffusion loss skips generated tokens: the layout leaves them out, and a step over an
    /// empty generated range draws and loses exactly what a plain one does.
    @Test func diffusionLossSkipsGeneratedTokens() {
        let D = TinyModels.config().tokenWidth
        var batch = TinyModels.examples(count: 3, D: D)
        func layout(_ batch: [ARDMExample]) -> StepLayout {
            StepLayout(batch: batch, bos: 1, sep: 2, dropped: [false, false, false], tokenWidth: D)
        }
        let plain = layout(batch)
        #expect(plain.diffusionTokens == Array(plain.predictRows.indices))
        func losses(_ batch: [ARDMExample]) -> ARDMLosses {
            let model = TinyModels.randomModel(seed: 3, std: 0.3)
            let ws = ARDMTrainingWorkspace(model: model, maxB: 3, maxT: 20, timesPerToken: 2)
            var rng = RNG(seed: 11)
            return model.trainingStep(batch, ws, rng: &rng, conditionDropout: 0)
        }
        let before = losses(batch)
        batch[1].generated = 2..<2
        #expect(losses(batch).total == before.total)
        batch[1].generated = 1..<3
        let skipping = layout(batch)
        let first = skipping.firstTokens[1]
        #expect(skipping.diffusionTokens == plain.diffusionTokens.filter { $0 != first + 1 && $0 != first + 2 })
        #expect(losses(batch).diffusion != before.diffusion)
    }

    /// With `realign`, each drawn example becomes prefix, the sampler's segment (re-sampled alone
    /// from its seed) and the corpus from the matched token on; an example that would outgrow
    /// the sampler's capacity is left as it was.
    @Test func freeRunRebuildsTheDrawnExamples() {
        let model = TinyModels.randomModel(seed: 3, std: 0.3), D = model.config.tokenWidth
        let original = TinyModels.examples(count: 6, D: D)
        let recipe = FreeRunningSegments(probability: 1, tokens: 3, realign: true)
        var batch = original, rng = RNG(seed: 4)
        let segments = ARDMSampler(model: model, maxBatch: 6, capacity: 64).freeRun(&batch, recipe, rng: &rng)
        #expect(!segments.isEmpty)
        for segment in segments {
            let example = original[segment.sequence], rebuilt = batch[segment.sequence]
            let start = segment.start, resume = segment.resume!
            let alone = FreeRunningSegmentsTests.sampledAlone(segment, of: example, model: model, options: recipe.options)
            #expect(resume == SegmentRealignment.resumeIndex(segment: alone.tokens[...], speech: example.speech, start: start,
                                                             window: 2 * segment.count, tokenWidth: D))
            #expect(rebuilt.speech == Array(example.speech[..<(start * D)]) + alone.tokens + Array(example.speech[(resume * D)...]))
            #expect(rebuilt.generated == start..<(start + segment.count))
            #expect(segment.drift == resume - start - segment.count)
        }
        // A capacity that only the original sequences fit: whatever would grow stays as it was.
        let longest = original.map { $0.rows(width: D) }.max()!
        var tight = original, tightRNG = RNG(seed: 4)
        let kept = ARDMSampler(model: model, maxBatch: 6, capacity: longest).freeRun(&tight, recipe, rng: &tightRNG)
        for b in original.indices {
            #expect(tight[b].rows(width: D) <= longest)
            if !kept.contains(where: { $0.sequence == b }) { #expect(tight[b].speech == original[b].speech) }
        }
    }
}
