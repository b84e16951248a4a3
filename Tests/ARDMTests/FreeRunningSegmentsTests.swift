@testable import ARDM
import NN
import Testing

@Suite struct FreeRunningSegmentsTests {
    static func model() -> ARDM { TinyModels.randomModel(seed: 3, std: 0.3) }

    /// The segment sampled again alone: the sampler's continuation of `example`'s true speech
    /// before the segment, from the segment's seed.
    static func sampledAlone(_ segment: FreeRunSegment, of example: ARDMExample, model: ARDM,
                             options: SamplingOptions) -> SynthesisResult {
        let D = model.config.tokenWidth
        return ARDMSampler(model: model, maxBatch: 1, capacity: 64).generate(
            [SynthesisRequest(textIDs: example.textIDs, promptSpeech: Array(example.speech[..<(segment.start * D)]),
                              seed: segment.seed, maxTokens: segment.count)],
            options: options)[0]
    }

    /// Every sequence with two target tokens or more gets a segment (probability 1) inside its
    /// target tokens, at most `tokens` long; its history is the speech outside the segment and
    /// the sampler's continuation of the true prefix (re-sampled alone from the segment's seed)
    /// inside it; the targets are untouched.
    @Test func segmentsAreTheSamplersContinuationOfTheTruePrefix() {
        let model = Self.model(), D = model.config.tokenWidth
        let original = TinyModels.examples(count: 6, D: D)
        var batch = original
        let sampler = ARDMSampler(model: model, maxBatch: 6, capacity: 64)
        let recipe = FreeRunningSegments(probability: 1, tokens: 3)
        var rng = RNG(seed: 4)
        let segments = sampler.freeRun(&batch, recipe, rng: &rng)
        #expect(segments.map(\.sequence) == original.indices.filter {
            original[$0].tokenCount(width: D) - original[$0].promptTokenCount >= 2
        })
        for segment in segments {
            let example = original[segment.sequence], history = batch[segment.sequence].history!
            #expect(batch[segment.sequence].speech == example.speech)
            #expect(segment.start >= example.promptTokenCount && segment.start <= example.tokenCount(width: D) - 2)
            #expect(segment.count >= 1 && segment.count <= 3 && segment.start + segment.count <= example.tokenCount(width: D))
            let inside = (segment.start * D)..<((segment.start + segment.count) * D)
            #expect(Array(history[..<inside.lowerBound]) == Array(example.speech[..<inside.lowerBound]))
            #expect(Array(history[inside.upperBound...]) == Array(example.speech[inside.upperBound...]))
            let alone = Self.sampledAlone(segment, of: example, model: model, options: recipe.options)
            #expect(Array(history[inside]) == alone.tokens)
            #expect(Array(history[inside]) != Array(example.speech[inside]))
        }
        for b in original.indices where !segments.contains(where: { $0.sequence == b }) { #expect(batch[b].history == nil) }
        // Probability 0 draws nothing.
        var untouched = original
        #expect(sampler.freeRun(&untouched, FreeRunningSegments(probability: 0, tokens: 3), rng: &rng).isEmpty)
        #expect(untouched.allSatisfy { $0.history == nil })
    }

    /// A training step reads an example's history instead of its speech: the stop loss, which
    /// depends only on the LM's states, changes; the diffusion targets do not (same loss when
    /// the history equals the speech).
    @Test func trainingStepReadsTheHistory() {
        let D = TinyModels.config().tokenWidth
        let batch = TinyModels.examples(count: 3, D: D)
        func losses(_ batch: [ARDMExample]) -> ARDMLosses {
            let model = Self.model()
            let ws = ARDMTrainingWorkspace(model: model, maxB: 3, maxT: 20, timesPerToken: 2)
            var rng = RNG(seed: 11)
            return model.trainingStep(batch, ws, rng: &rng, conditionDropout: 0)
        }
        var same = batch, changed = batch
        same[1].history = batch[1].speech
        changed[1].history = batch[1].speech.map { $0 + 0.5 }
        #expect(losses(same).total == losses(batch).total)
        #expect(losses(changed).stop != losses(batch).stop)
    }

    @Test func recipeProblems() {
        #expect(FreeRunningSegments(probability: 0.5, tokens: 8).problem == nil)
        #expect(FreeRunningSegments(probability: 1.5, tokens: 8).problem != nil)
        #expect(FreeRunningSegments(probability: 0.5, tokens: 0).problem != nil)
        #expect(FreeRunningSegments(probability: 0.5, tokens: 8, temperature: 0).problem != nil)
    }
}
