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
