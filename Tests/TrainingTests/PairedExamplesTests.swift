import ARDM
import Audio
import Foundation
import NN
import Testing
@testable import Training

/// How pre-training draws its prompt/target pairs from the tiny corpus.
@Suite(.serialized) struct PairedExamplesTests {
    static func trainer(engineExponent: Float?) throws -> Pretrainer {
        var config = try PretrainerTests.config(run: PretrainerTests.folder("pairs"))
        config.engineSamplingExponent = engineExponent
        return try Pretrainer(config: config)
    }

    /// Without an exponent a target is one uniform draw over the utterances: the random stream
    /// of runs started before engine sampling existed is unchanged.
    @Test func withoutAnExponentTargetsAreUniformOverUtterances() throws {
        let train = try Self.trainer(engineExponent: nil).train
        var a = RNG(seed: 11), b = RNG(seed: 11)
        for _ in 0..<50 {
            let expected = b.int(below: train.items.count)
            #expect(train.randomPair(&a).target == expected)
            _ = b.int(below: train.byVoice[train.items[expected].utterance.voice]!.count)
        }
    }

    /// A warped sequence is the plain one with all its speech, prompt and target alike, warped by
    /// one factor drawn after the pair; at fraction 0 the speech is untouched (the draws are made
    /// anyway, so the stream does not depend on the outcome).
    @Test(arguments: [Float(1), 0])
    func aVoiceWarpWarpsTheWholeSequenceByOneFactor(fraction: Float) throws {
        let train = try Self.trainer(engineExponent: nil).train
        let recipe = VoiceWarp(fraction: fraction, maxFactor: 1.2)
        for seed in UInt64(1)...3 {
            var plainRNG = RNG(seed: seed), warpedRNG = RNG(seed: seed)
            let plain = Pretrainer.batch(from: train, size: 1, maxPositions: train.maxPositions, rng: &plainRNG)[0]
            let warped = Pretrainer.batch(from: train, size: 1, maxPositions: train.maxPositions, voiceWarp: recipe, rng: &warpedRNG)[0]
            #expect(warped.textIDs == plain.textIDs && warped.promptTokenCount == plain.promptTokenCount)
            _ = plainRNG.uniform()
            let factor = pow(1.2, Double(2 * plainRNG.uniform() - 1))
            #expect(plainRNG.next() == warpedRNG.next())
            guard fraction > 0 else {
                #expect(warped.speech == plain.speech)
                continue
            }
            let M = train.spectral.melCount
            let logMel = SpeechTokens.logMel(tokens: plain.speech, melBins: M, statistics: train.statistics)
            let expected = SpeechTokens.tokens(logMel: MelFrequencyWarp(configuration: train.spectral, factor: factor).apply(logMel),
                                               melBins: M, patchFrames: 1, statistics: train.statistics)
            #expect(warped.speech.count == expected.count)
            #expect(zip(warped.speech, expected).allSatisfy { abs($0 - $1) < 1e-4 })
            #expect(zip(warped.speech, plain.speech).contains { abs($0 - $1) > 0.05 })
        }
    }

    /// α = 0: every engine is drawn equally often, however many utterances it has.
    @Test func exponentZeroDrawsEveryEngineEquallyOften() throws {
        let train = try Self.trainer(engineExponent: 0).train
        let engines = train.engineProbabilities
        #expect(engines.count >= 2, "the tiny corpus has \(engines.count) engine(s)")
        #expect(engines.values.allSatisfy { abs($0 - 1 / Float(engines.count)) < 1e-5 })
        var rng = RNG(seed: 3), counts: [String: Int] = [:]
        let draws = 6000
        for _ in 0..<draws { counts[train.items[train.randomPair(&rng).target].utterance.engine.rawValue, default: 0] += 1 }
        // Binomial standard deviation at p = 1/3 over 6000 draws is 0.006; allow 5 of them.
        for count in counts.values { #expect(abs(Double(count) / Double(draws) - 1 / Double(engines.count)) < 0.03) }
    }
}
