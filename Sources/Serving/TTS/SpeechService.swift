import ARDM
import Audio
import Foundation
import Text

/// The synthesis path shared by `/v1/tts` and `/v1/audio/speech`: resolve the model, the value
/// model and the prompt voice, run the text front end on the request's thread, hand sampling to
/// the scheduler and wait, then vocode. The model's sampler is touched only by the scheduler.
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

    /// One sampled and vocoded clip.
    struct Clip {
        let waveform: Waveform
        let seed: UInt64
        let stopped: Bool
        /// Requests in the batch that sampled it.
        let batchSize: Int
    }

    /// What one request produced: one clip, or the K candidates of best-of-K in seed order.
    struct Synthesis {
        let clips: [Clip]
        let model: String
        let voiceID: String?
        /// The guidance asked for (λ = 0 included), echoed in the response.
        let guidance: GuidanceRequest?
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
            let audio = try AudioUpload.decode(base64: base64, field: "prompt_audio", maxSeconds: limits.maxPromptSeconds)
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
        let stored = try voices.requireVoice(id: id)
        return Prompt(audio: stored.audio.samples, text: stored.promptText, voiceID: stored.id)
    }

    /// Runs one request as `candidates` jobs with seeds seed, seed + 1, … (best-of-K; 1 for a
    /// plain request), queued at once so they share batches; every failure is an `APIError`.
    func synthesize(text: String, prompt: Prompt, modelName: String?, parameters: SynthesisParameters,
                    guidance: GuidanceRequest? = nil, candidates: Int = 1) throws -> Synthesis {
        let (name, model) = try models.speechModel(named: modelName)
        let sampling = try guidance.flatMap { try resolve($0, for: model, named: name) }
        let request: SynthesisRequest
        do {
            request = try model.prepare(text: text, promptText: prompt.text, promptAudio: prompt.audio,
                                        seed: parameters.seed, maxSeconds: parameters.maxSeconds)
        } catch let error as TextError {
            throw APIError(textError: error, field: "text")
        } catch let error as SpeechModelError {
            throw APIError.unprocessable("\(error)", code: "too_long_for_model")
        }
        let requests = (0..<candidates).map { i in
            var candidate = request
            candidate.seed = request.seed &+ UInt64(i)
            return candidate
        }
        let generated = try scheduler.generate(requests, model: model, options: parameters.options, guidance: sampling,
                                               timeoutSeconds: Double(limits.requestTimeoutSeconds))
        let vocodingStarted = ProcessInfo.processInfo.systemUptime
        // The vocoder is a pure function of its input: the K clips of best-of-K spread over the cores.
        let waveforms = model.waveforms(of: generated.map(\.result), request: request, timbreMatch: parameters.timbreMatch)
        var batchSeconds: [Int: Double] = [:]
        for speech in generated { batchSeconds[speech.batchNumber] = speech.batchSeconds }
        // Sampling (every batch that held a clip, once) plus vocoding.
        let computeSeconds = batchSeconds.values.reduce(0, +) + (ProcessInfo.processInfo.systemUptime - vocodingStarted)
        metrics.recordSynthesis(audioSeconds: waveforms.reduce(0) { $0 + $1.duration }, computeSeconds: computeSeconds)
        let clips = zip(requests, zip(generated, waveforms)).map { request, output in
            Clip(waveform: output.1, seed: request.seed, stopped: output.0.result.stopped, batchSize: output.0.batchSize)
        }
        return Synthesis(clips: clips, model: name, voiceID: prompt.voiceID, guidance: guidance)
    }

    /// The value model and λ a job carries: 404 for an unknown value model and 422 for one that
    /// cannot guide `model`, checked even at λ = 0 so a typo never passes silently; nil (plain
    /// sampling) for λ = 0.
    private func resolve(_ guidance: GuidanceRequest, for model: SpeechModel, named name: String) throws -> SynthesisGuidance? {
        let value = try models.valueModel(named: guidance.valueModel)
        if let reason = model.guidanceIncompatibility(with: value) {
            throw APIError.unprocessable(
                "guidance.value_model: '\(guidance.valueModel)' cannot guide model '\(name)': \(reason)",
                code: "incompatible_value_model")
        }
        // A λ so small that it rounds to 0 in Float is plain sampling too.
        let scale = Float(guidance.scale)
        return scale > 0 ? SynthesisGuidance(value: value, scale: scale) : nil
    }
}
