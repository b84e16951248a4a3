import ARDM
import Audio
import Foundation
import Guidance

/// The autoregressive diffusion TTS model (DESIGN §6) behind `SpeechModel`: the `TTSPipeline`
/// front end and Griffin-Lim vocoder around one batched `ARDMSampler`, plus one value guide per
/// value model that has guided it (Algorithm 2).
public final class ARDMSpeechModel: SpeechModel, @unchecked Sendable {
    public let pipeline: TTSPipeline
    /// Mutable sampling state, used only from the scheduler's worker thread.
    private let sampler: ARDMSampler
    /// Guides by value model, created on first use by the worker thread (they hold a KV cache of
    /// the value model's own, sized like the sampler's). Keyed by the value ARDM's identity; the
    /// guide retains that ARDM, so an identifier is never reused while its guide lives. A reload
    /// replaces the speech models too, so guides of value models that are gone die with them.
    private var guides: [ObjectIdentifier: ValueGuidance] = [:]

    public init(model: ARDM, maxBatch: Int) {
        precondition(!model.config.isValueModel, "a value model cannot synthesise speech")
        pipeline = TTSPipeline(model: model)
        // Text and speech count RoPE positions separately, so each stays below maxPositions.
        // Three guidance branches, so any request may set a voice scale (`GuidanceBranch`); a
        // session without one uses two per slot. The cache is zeroed when made, so the third
        // branch's share is resident either way (a third more KV cache per model).
        sampler = ARDMSampler(model: model, maxBatch: maxBatch,
                              capacity: ARDMSampler.capacity(for: model), branches: 3)
    }

    /// Loads a model folder (`model.safetensors` + `config.json`, see `ARDM.load`); a value model
    /// folder is refused by name.
    public static func load(from path: String, maxBatch: Int) throws -> ARDMSpeechModel {
        let (model, _) = try ARDM.load(from: URL(fileURLWithPath: path))
        guard !model.config.isValueModel else {
            throw ARDMCheckpointError.notAModel(
                path: path, reason: "it is a value model, not a text-to-speech model; list it with kind \"value\"")
        }
        return ARDMSpeechModel(model: model, maxBatch: maxBatch)
    }

    public var secondsPerToken: Double { pipeline.secondsPerToken }

    public func prepare(text: String, promptText: String, promptAudio: [Float], seed: UInt64,
                        maxSeconds: Double) throws -> SynthesisRequest {
        let request = try pipeline.request(text: text, promptText: promptText, promptAudio: promptAudio,
                                           seed: seed, maxSeconds: maxSeconds)
        // [BOS] text [SEP] prompt-speech, plus room for at least one generated token.
        let positions = request.textIDs.count + 2 + request.promptSpeech.count / pipeline.model.config.tokenWidth + 1
        guard positions < sampler.capacity else {
            throw SpeechModelError.prefixTooLong(positions: positions, capacity: sampler.capacity)
        }
        return request
    }

    public func makeSession(options: SamplingOptions, guidance: SynthesisGuidance?) -> SpeechSession {
        guard let guidance else { return SamplingSession(sampler: sampler, options: options) }
        let guide = self.guide(for: guidance.value.file)
        guide.scale = guidance.scale
        return SamplingSession(sampler: sampler, options: options, guidance: guide)
    }

    private func guide(for value: ValueModelFile) -> ValueGuidance {
        if let guide = guides[ObjectIdentifier(value.model)] { return guide }
        let guide = ValueGuidance(value: value.model, scale: 0, maxBatch: sampler.maxBatch, capacity: sampler.capacity,
                                  rewardStd: value.rewardStd)
        guides[ObjectIdentifier(value.model)] = guide
        return guide
    }

    /// The value model reads the same tokens and text ids through its own LM, so the token
    /// layout, the phoneme vocabulary and the mel normalisation must be this model's, and its
    /// positions must cover the sampler's sequences.
    public func guidanceIncompatibility(with value: ValueModel) -> String? {
        let mine = pipeline.model.config, theirs = value.model.config
        if theirs.tokenWidth != mine.tokenWidth {
            return "its speech tokens hold \(theirs.tokenWidth) values (\(theirs.patchFrames) frames of \(theirs.melBins) "
                + "mel bins); this model's hold \(mine.tokenWidth) (\(mine.patchFrames) of \(mine.melBins))"
        }
        if theirs.textVocabulary != mine.textVocabulary || theirs.bosID != mine.bosID || theirs.sepID != mine.sepID {
            return "its phoneme vocabulary (\(theirs.textVocabulary) ids) is not this model's (\(mine.textVocabulary) ids)"
        }
        if value.model.melStatistics != pipeline.model.melStatistics {
            return "it normalises mel frames with other statistics than this model (trained on another corpus)"
        }
        if theirs.lm.maxPositions < sampler.capacity {
            return "it holds \(theirs.lm.maxPositions) positions; this model's sequences take up to \(sampler.capacity)"
        }
        return nil
    }

    public func waveforms(of results: [SynthesisResult], request: SynthesisRequest, timbreMatch: Float) -> [Waveform] {
        pipeline.waveforms(of: results.map { pipeline.timbreMatched($0, toPrompt: request.promptSpeech, strength: timbreMatch) })
    }
}
