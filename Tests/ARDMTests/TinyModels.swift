import Foundation
import ARDM
import NN

/// Small configurations so the tests run in seconds.
enum TinyModels {
    static func config(auxiliary: Int = 5, dropout: Float = 0.1) -> ARDMConfig {
        ARDMConfig(textVocabulary: 12,
                   lm: TransformerConfig(channels: 16, layers: 2, heads: 2, maxPositions: 64, alignmentLayers: [1]),
                   head: .init(width: 24, blocks: 2, timeFrequencies: 8),
                   melBins: 3, patchFrames: 2, auxiliaryPhones: auxiliary, conditionDropout: dropout, alignmentPenalty: 1)
    }

    /// A tiny model whose every weight is drawn from N(0, std²) (after `initialize(seed:)`, with
    /// the next seed): non-zero head output and adaLN weights, so every path carries signal.
    static func randomModel(seed: UInt64, std: Float) -> ARDM {
        let model = ARDM(config: config())
        model.initialize(seed: seed)
        var rng = RNG(seed: seed + 1)
        rng.fillNormal(model.params.values.base, count: model.params.values.count, std: std)
        return model
    }

    /// A few fixed examples: text ids 3…11, speech tokens that depend on the text, so there is
    /// something to learn.
    static func examples(count: Int, D: Int, seed: UInt64 = 7) -> [ARDMExample] {
        var rng = RNG(seed: seed)
        return (0..<count).map { e in
            let L = 3 + e % 3, S = 4 + e % 4
            let text = (0..<L).map { _ in Int32(3 + rng.int(below: 9)) }
            var speech: [Float] = []
            for i in 0..<S {
                let id = Float(text[i % L])
                for d in 0..<D { speech.append(0.3 * sin(id + Float(d)) + 0.1 * Float(i % 2)) }
            }
            return ARDMExample(textIDs: text, speech: speech, auxiliaryTargets: (0..<S).map { Int32(($0 + e) % 5) - 1 },
                               promptTextCount: e % 2 == 0 ? 1 : 0, promptTokenCount: e % 2 == 0 ? 2 : 0)
        }
    }
}
