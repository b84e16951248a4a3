import ARDM
import Foundation
import NN
import Text

/// A tiny random-weight ARDM saved once per test process: its speech is noise, but it exercises
/// the whole path (phonemes, prompt tokens, batched sampling, Griffin-Lim) in milliseconds.
/// Its stop head almost never fires, so sequences end at `max_seconds`.
enum TinyModel {
    static func make(channels: Int = 32, headWidth: Int = 32) -> ARDM {
        let model = ARDM(config: ARDMConfig(
            textVocabulary: PhonemeVocabulary.standard.count,
            lm: TransformerConfig(channels: channels, layers: 2, heads: 2, maxPositions: 512),
            head: .init(width: headWidth, blocks: 2, timeFrequencies: 16)))
        model.initialize(seed: 1)
        // adaLN-Zero starts the head blind to its conditioning, so every guidance branch would
        // predict the same: random modulation and output weights let what a request asks for
        // (prompt, cfg, voice scale) reach the audio, as in a trained model.
        var rng = RNG(seed: 2)
        for entry in model.params.layout.entries
        where entry.name.hasPrefix("head.") && (entry.name.hasSuffix("ada.weight") || entry.name == "head.out.weight") {
            rng.fillNormal(model.params.values.pointer(at: entry.offset), count: entry.count, std: 0.1)
        }
        return model
    }

    private static let saved: Result<URL, Error> = Result {
        let folder = TestServer.temporaryDirectory("tiny-model")
        try make().save(to: folder, dtype: .f32)
        return folder
    }

    /// The model folder (`model.safetensors` + `config.json`).
    static var folder: URL {
        get throws { try saved.get() }
    }
}
