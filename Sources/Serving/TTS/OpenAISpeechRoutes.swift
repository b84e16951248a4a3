/// `POST /v1/audio/speech`: OpenAI-compatible synthesis (a subset). `voice` is one of ours
/// (`GET /v1/voices`); `model` names a loaded model, and OpenAI's own names ("tts-1",
/// "tts-1-hd") stand for the default one. Only WAV is written; `speed` other than 1 is refused
/// rather than ignored, as the model has no tempo control. Sampling uses the defaults, and no
/// rewards are computed (`/v1/tts` reports them).
struct OpenAISpeechRoutes: Sendable {
    let service: SpeechService

    /// OpenAI model names that mean "this server's default model".
    static let defaultModelAliases: Set<String> = ["tts-1", "tts-1-hd", "gpt-4o-mini-tts"]

    func speech(_ request: Request, _ parameters: RouteParameters) throws -> Response {
        let body = try request.decodeJSONBody(OpenAISpeechBody.self)
        try service.checkText(body.input, field: "input")
        if let format = body.responseFormat, format != "wav" {
            throw APIError.unprocessable("response_format: only \"wav\" is supported, got \"\(format)\"",
                                         code: "invalid_response_format")
        }
        if let speed = body.speed, speed != 1 {
            throw APIError.unprocessable("speed: only 1.0 is supported (the model has no tempo control), got \(speed)",
                                         code: "invalid_speed")
        }
        let settings = try SynthesisParameters(seed: nil, steps: nil, cfg: nil, temperature: nil, maxSeconds: nil,
                                               limits: service.limits)
        let prompt = try service.storedPrompt(id: body.voice)
        let modelName = Self.defaultModelAliases.contains(body.model) ? nil : body.model
        let synthesis = try service.synthesize(text: body.input, prompt: prompt, modelName: modelName, parameters: settings)
        let wav = try SynthesisResponse.wavBytes(synthesis.clips[0], format: .wav16)
        return SynthesisResponse.make(synthesis, wavs: [wav], scored: nil, format: .wav16)
    }
}
