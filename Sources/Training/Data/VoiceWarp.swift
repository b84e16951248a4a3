import ARDM
import Audio
import Foundation
import NN

/// Speaker augmentation for pre-training (a recipe's `voice_warp`): a fraction of the training
/// sequences have their speech, prompt and target alike (one voice), warped in frequency by one
/// factor α (see `MelFrequencyWarp`), so that each is a new pseudo-speaker.
///
/// Why: the corpus has about fifteen distinct timbres (espeak-ng's variants, four flite and two
/// festival speakers), and the zero-shot similarity on unseen speakers is what lags. The prompt
/// carries the warp, so copying the prompt's timbre is the only way to predict the target.
public struct VoiceWarp: Codable, Sendable, Equatable {
    /// Chance that a sequence is warped.
    public var fraction: Float
    /// Largest factor a > 1: α = a^u, u uniform in [−1, 1] (as likely shorter as longer).
    public var maxFactor: Float

    public init(fraction: Float, maxFactor: Float) {
        self.fraction = fraction; self.maxFactor = maxFactor
    }

    /// Warps `example`'s speech with probability `fraction` (two draws from `rng` either way, so
    /// the stream does not depend on the outcome). Tokens are normalised log-mel frames: they
    /// are un-normalised, warped and normalised again.
    func maybeApply(to example: inout ARDMExample, spectral: SpectralConfiguration, statistics: MelStatistics,
                    rng: inout RNG) {
        let chance = rng.uniform(), exponent = 2 * rng.uniform() - 1
        guard chance < fraction else { return }
        let warp = MelFrequencyWarp(configuration: spectral, factor: pow(Double(maxFactor), Double(exponent)))
        let M = spectral.melCount
        let logMel = SpeechTokens.logMel(tokens: example.speech, melBins: M, statistics: statistics)
        example.speech = SpeechTokens.tokens(logMel: warp.apply(logMel), melBins: M, patchFrames: 1, statistics: statistics)
    }

    /// Why the values cannot be used, or nil when they can.
    var problem: String? {
        (0...1).contains(fraction) && (1...2).contains(maxFactor)
            ? nil : "voice_warp needs fraction in [0, 1] and max_factor in [1, 2] (got \(fraction), \(maxFactor))"
    }
}
