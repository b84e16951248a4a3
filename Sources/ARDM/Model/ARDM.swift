import Audio
import Foundation
import NN

/// The autoregressive diffusion TTS model (DiTAR-style, paper §2.2; DESIGN §6).
///
/// Sequence: `[BOS] prompt-text + target-text phonemes [SEP] | prompt speech, generated speech`.
/// Text enters through an embedding, speech tokens (patches of P mel frames, P·M values,
/// normalised with corpus statistics) through a linear projection of the clean patch. The LM
/// state at a position conditions the diffusion head, which generates the next speech token;
/// a stop head (linear + sigmoid) says when speech ends; an optional auxiliary head predicts
/// the engine phone of the next token (an alignment aid used only in training).
/// Text and speech count RoPE positions separately, each from 0.
public final class ARDM: @unchecked Sendable {
    public let config: ARDMConfig
    public let lm: CausalTransformer
    public let head: DiffusionHead
    public let params: ParameterSet
    /// Per-bin statistics that normalise log-mel before patching (from the training corpus).
    public var melStatistics: MelStatistics
    let textEmbedding, speechInW, speechInB, stopW, stopB: Int
    let auxW: Int?, auxB: Int?

    public init(config: ARDMConfig, melStatistics: MelStatistics? = nil) {
        self.config = config
        self.melStatistics = melStatistics ?? .identity(melCount: config.melBins)
        let C = config.lm.channels, D = config.tokenWidth
        var layout = Layout()
        // Embedding rows are looked up, not multiplied: no weight decay (GPT-2 practice).
        textEmbedding = layout.add("text.embedding", [config.textVocabulary, C], decays: false)
        speechInW = layout.add("speech.in.weight", [C, D]); speechInB = layout.add("speech.in.bias", [C])
        lm = CausalTransformer(config: config.lm, prefix: "lm.", layout: &layout)
        stopW = layout.add("stop.weight", [1, C]); stopB = layout.add("stop.bias", [1])
        if config.auxiliaryPhones > 0 {
            auxW = layout.add("aux.weight", [config.auxiliaryPhones, C]); auxB = layout.add("aux.bias", [config.auxiliaryPhones])
        } else {
            auxW = nil; auxB = nil
        }
        head = DiffusionHead(config: config.head, inputWidth: D, conditionWidth: C, outputWidth: config.isValueModel ? 1 : D,
                             prefix: "head.", layout: &layout)
        params = ParameterSet(layout: layout)
    }

    /// Fresh weights for pre-training.
    public func initialize(seed: UInt64) {
        var rng = RNG(seed: seed)
        let C = config.lm.channels, D = config.tokenWidth
        lm.initialize(params, &rng)
        rng.fillNormal(params.values.pointer(at: textEmbedding), count: config.textVocabulary * C, std: 0.02)
        rng.fillNormal(params.values.pointer(at: speechInW), count: C * D, std: 1 / Float(D).squareRoot())
        rng.fillNormal(params.values.pointer(at: stopW), count: C, std: 0.02)
        // The stop bias starts at log(1/80): one stop per ~80 tokens, so early loss is not spent learning the prior.
        params.values.pointer(at: stopB).pointee = -4.4
        if let auxW { rng.fillNormal(params.values.pointer(at: auxW), count: config.auxiliaryPhones * C, std: 0.02) }
        head.initialize(params, &rng)
    }

    /// The stop head's logit for one LM state `h (C)`.
    func stopLogit(_ h: UnsafePointer<Float>) -> Float {
        let w = params.values.base
        var logit = w[stopB]
        for c in 0..<config.lm.channels { logit += h[c] * w[stopW + c] }
        return logit
    }
}
