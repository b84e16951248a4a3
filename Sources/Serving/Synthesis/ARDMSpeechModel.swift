import ARDM
import Audio
import Foundation

/// The autoregressive diffusion TTS model (DESIGN §6) behind `SpeechModel`: the `TTSPipeline`
/// front end and Griffin-Lim vocoder around one batched `ARDMSampler`.
public final class ARDMSpeechModel: SpeechModel, @unchecked Sendable {
    public let pipeline: TTSPipeline
    /// Mutable sampling state, used only from the scheduler's worker thread.
    private let sampler: ARDMSampler

    /// Largest sequence (text + prompt speech + generated speech) a sampler slot holds. Bounded so
    /// the KV cache stays modest: 2·maxBatch slots · capacity · layers · 2C floats.
    public static let maxCapacity = 1024

    public init(model: ARDM, maxBatch: Int) {
        pipeline = TTSPipeline(model: model)
        // Text and speech count RoPE positions separately, so each stays below maxPositions.
        sampler = ARDMSampler(model: model, maxBatch: maxBatch,
                              capacity: min(model.config.lm.maxPositions, Self.maxCapacity))
    }

    /// Loads a model folder (`model.safetensors` + `config.json`, see `ARDM.load`).
    public static func load(from path: String, maxBatch: Int) throws -> ARDMSpeechModel {
        let (model, _) = try ARDM.load(from: URL(fileURLWithPath: path))
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

    public func generate(_ requests: [SynthesisRequest], options: SamplingOptions) -> [SynthesisResult] {
        sampler.generate(requests, options: options)
    }

    public func waveform(of result: SynthesisResult) -> Waveform {
        pipeline.waveform(of: result)
    }
}
