import ARDM
import Audio
import Foundation
import Text

/// The synthesis path shared by `/v1/tts` and `/v1/audio/speech`: resolve the model and the
/// prompt voice, run the text front end on the request's thread, hand sampling to the
/// scheduler and wait, then vocode. The model's sampler is touched only by the scheduler.
final class SpeechService: Sendable {
    let models: ModelRegistry
    let voices: VoiceStore
    let scheduler: SynthesisScheduler
    let metrics: ServerMetrics
    let limits: ServerConfig.Limits

    init(models: ModelRegistry, voices: VoiceStore, scheduler: SynthesisScheduler, metrics: ServerMetrics,
         limits: ServerConfig.Limits) {
        self.models = models
        self.voices = voices
        self.scheduler = scheduler
        self.metrics = metrics
        self.limits = limits
    }

    /// The voice the model continues: its audio and the words spoken in it.
    struct Prompt {
        let audio: [Float]
        let text: String
        /// The stored voice's id, nil for inline audio.
        let voiceID: String?
    }

    /// What one request produced.
    struct SynthesizedAudio {
        let waveform: Waveform
        let seed: UInt64
        let stopped: Bool
        let model: String
        let voiceID: String?
        /// Batch sampling plus vocoding, in seconds.
        let computeSeconds: Double
        let batchSize: Int
    }

    /// 422 for empty or over-long text, before any model work.
    func checkText(_ text: String, field: String) throws {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError.unprocessable("\(field): must not be empty", code: "invalid_text")
        }
        guard text.count <= limits.maxTextChars else {
            throw APIError.unprocessable("\(field): \(text.count) characters; the limit is \(limits.maxTextChars)",
                                         code: "text_too_long")
        }
    }

    /// A stored voice by id, inline audio with its text, or (neither given) the first built-in.
    func prompt(voice: String?, promptAudio: String?, promptText: String?) throws -> Prompt {
        switch (voice, promptAudio) {
        case (.some, .some):
            throw APIError.unprocessable("give either voice or prompt_audio, not both", code: "conflicting_fields")
        case let (.some(id), nil):
            if promptText != nil {
                throw APIError.unprocessable("prompt_text goes with prompt_audio; a stored voice has its own text",
                                             code: "conflicting_fields")
            }
            return try storedPrompt(id: id)
        case let (nil, .some(base64)):
            guard let promptText else {
                throw APIError.unprocessable("prompt_audio needs prompt_text, the words spoken in it", code: "missing_prompt_text")
            }
            try checkText(promptText, field: "prompt_text")
            let audio = try PromptAudioUpload.decode(base64: base64, field: "prompt_audio", maxSeconds: limits.maxPromptSeconds)
            return Prompt(audio: audio.samples, text: promptText, voiceID: nil)
        case (nil, nil):
            guard let first = voices.all.first else {
                throw APIError.unprocessable("no voice given and the server has no built-in voices; send voice or prompt_audio",
                                             code: "missing_voice")
            }
            return Prompt(audio: first.audio.samples, text: first.promptText, voiceID: first.id)
        }
    }

    func storedPrompt(id: String) throws -> Prompt {
        guard VoiceID.isWellFormed(id), let stored = voices.voice(id: id) else {
            throw APIError.notFound("no voice '\(id)' (see GET /v1/voices)", code: "voice_not_found")
        }
        return Prompt(audio: stored.audio.samples, text: stored.promptText, voiceID: stored.id)
    }

    /// Runs one synthesis; every failure is an `APIError`.
    func synthesize(text: String, prompt: Prompt, modelName: String?, parameters: SynthesisParameters) throws -> SynthesizedAudio {
        let (name, model) = try models.speechModel(named: modelName)
        let request: SynthesisRequest
        do {
            request = try model.prepare(text: text, promptText: prompt.text, promptAudio: prompt.audio,
                                        seed: parameters.seed, maxSeconds: parameters.maxSeconds)
        } catch let error as TextError {
            throw APIError(textError: error, field: "text")
        } catch let error as SpeechModelError {
            throw APIError.unprocessable("\(error)", code: "too_long_for_model")
        }
        let generated = try scheduler.generate(request, model: model, options: parameters.options,
                                               timeoutSeconds: Double(limits.requestTimeoutSeconds))
        let vocodingStarted = ProcessInfo.processInfo.systemUptime
        let waveform = model.waveform(of: generated.result)
        let computeSeconds = generated.batchSeconds + (ProcessInfo.processInfo.systemUptime - vocodingStarted)
        metrics.recordSynthesis(audioSeconds: waveform.duration, computeSeconds: computeSeconds)
        return SynthesizedAudio(waveform: waveform, seed: parameters.seed, stopped: generated.result.stopped, model: name,
                                voiceID: prompt.voiceID, computeSeconds: computeSeconds, batchSize: generated.batchSize)
    }
}
