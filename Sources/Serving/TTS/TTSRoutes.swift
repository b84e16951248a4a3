/// `POST /v1/tts`: text and a prompt voice in, audio out (DESIGN §11). The body is JSON, or
/// multipart/form-data with the same fields and `prompt_audio` as a file upload (`guidance` and
/// `best_of` are JSON-only).
///
/// Order of checks: body shape (400), values (422), capabilities this build lacks (501), model
/// (404/503), voice (404), text front end (422), queue (503 with Retry-After).
struct TTSRoutes: Sendable {
    let service: SpeechService

    func synthesize(_ request: Request, _ parameters: RouteParameters) throws -> Response {
        let body = try request.decodeJSONOrFormBody(
            TTSRequestBody.self, numericFields: ["seed", "steps", "cfg", "temperature", "max_seconds"], fileFields: ["prompt_audio"])
        try service.checkText(body.text, field: "text")
        let format = try AudioResponseFormat.parse(body.responseFormat)
        let settings = try SynthesisParameters(seed: body.seed, steps: body.steps, cfg: body.cfg,
                                               temperature: body.temperature, maxSeconds: body.maxSeconds,
                                               limits: service.limits)
        try checkGuidance(body.guidance)
        try checkBestOf(body.bestOf)
        let prompt = try service.prompt(voice: body.voice, promptAudio: body.promptAudio, promptText: body.promptText)
        let audio = try service.synthesize(text: body.text, prompt: prompt, modelName: body.model, parameters: settings)
        return try SynthesisResponse.make(audio, format: format)
    }

    /// λ must be a finite number in range; λ = 0 is plain sampling. Any other λ needs a value
    /// model, which this build cannot load yet (issue 6): 501, never silently unguided.
    func checkGuidance(_ guidance: TTSRequestBody.Guidance?) throws {
        guard let guidance else { return }
        let scale = try SynthesisParameters.check(guidance.scale, field: "guidance.scale", in: SamplingRanges.guidanceScale)
        guard scale == 0 else {
            throw APIError.notImplemented(
                "value guidance (guidance.value_model '\(guidance.valueModel)', scale \(scale)) is not available: "
                    + "this build cannot load value models yet")
        }
    }

    /// K must be within 1...max_best_of; K = 1 is a single sample. K > 1 needs a reward model,
    /// which this build cannot load yet: 501 naming it.
    func checkBestOf(_ bestOf: TTSRequestBody.BestOf?) throws {
        guard let bestOf else { return }
        let limit = service.limits.maxBestOf
        guard (1...limit).contains(bestOf.k) else {
            throw APIError.unprocessable("best_of.k: must be within 1...\(limit), got \(bestOf.k)", code: "invalid_best_of")
        }
        guard bestOf.k > 1 else { return }
        guard let reward = bestOf.reward else {
            throw APIError.unprocessable("best_of.reward: required when k > 1 (the reward that picks the best sample)",
                                         code: "invalid_best_of")
        }
        throw APIError.notImplemented(
            "best-of-\(bestOf.k) by reward '\(reward)' is not available: this build cannot load reward models yet")
    }
}
