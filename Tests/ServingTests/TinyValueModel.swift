import ARDM
import Foundation
import NN
import Text

/// Tiny value models for guidance tests, saved once per test process. `compatible` is made from
/// the tiny speech model (`TinyModel`), with a random value head so that ∇V is not zero (a
/// fresh value head outputs 0 everywhere); `incompatible` has tokens of another width.
enum TinyValueModel {
    static func make(from base: ARDM) -> ARDM {
        let value = base.makeValueModel()
        var rng = RNG(seed: 5)
        rng.fillNormal(value.params.value("head.out.weight"), count: value.config.head.width, std: 0.5)
        return value
    }

    private static let savedCompatible: Result<URL, Error> = Result {
        let folder = TestServer.temporaryDirectory("tiny-value")
        try make(from: TinyModel.make()).save(to: folder, dtype: .f32, provenance: ["kind": "value", "reward": "f0v"])
        return folder
    }

    private static let savedIncompatible: Result<URL, Error> = Result {
        let base = ARDM(config: ARDMConfig(
            textVocabulary: PhonemeVocabulary.standard.count,
            lm: TransformerConfig(channels: 32, layers: 2, heads: 2, maxPositions: 512),
            head: .init(width: 32, blocks: 2, timeFrequencies: 16), patchFrames: 2))
        base.initialize(seed: 1)
        let folder = TestServer.temporaryDirectory("tiny-value-other-width")
        try make(from: base).save(to: folder, dtype: .f32)
        return folder
    }

    /// A value model for the tiny speech model (provenance reward "f0v").
    static var compatibleFolder: URL {
        get throws { try savedCompatible.get() }
    }

    /// A value model whose speech tokens hold 2 frames, not the tiny model's 4.
    static var incompatibleFolder: URL {
        get throws { try savedIncompatible.get() }
    }
}
