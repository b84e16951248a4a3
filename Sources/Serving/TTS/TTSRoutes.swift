import Guidance
import Rewards

/// `POST /v1/tts`: text and a prompt voice in, audio out (DESIGN §11), optionally value-guided
/// and best-of-K, with the returned sample's rewards. The body is JSON, or multipart/form-data
/// with the same fields and `prompt_audio` as a file upload (`guidance` and `best_of` are
/// JSON-only).
///
/// Order of checks: body shape (400), values (422), rewards best-of-K needs but no loaded model
/// provides (501), voice (404), model and value model (404/503, 422 when they do not match),
/// text front end (422), queue (503 with Retry-After).
struct TTSRoutes: Sendable {
    let service: SpeechService

    func synthesize(_ request: Request, _ parameters: RouteParameters) throws -> Response {
        let body = try request.decodeJSONOrFormBody(
            TTSRequestBody.self, numericFields: ["seed", "steps", "cfg", "voice_scale", "temperature", "max_seconds", "timbre_match"],
            fileFields: ["prompt_audio"])
        try service.checkText(body.text, field: "text")
        let format = try AudioResponseFormat.parse(body.responseFormat)
        let settings = try SynthesisParameters(seed: body.seed, steps: body.steps, cfg: body.cfg, voiceScale: body.voiceScale,
                                               temperature: body.temperature, maxSeconds: body.maxSeconds,
                                               timbreMatch: body.timbreMatch, limits: service.limits)
        let guidance = try body.guidance.map(GuidanceRequest.init)
        // One snapshot of the rewards for the check and the scoring, so a reload in between
        // cannot take a reward away from a request that was promised it.
        let rewards = service.models.rewards
        let bestOf = try body.bestOf.flatMap {
            try Self.checkBestOf(k: $0.k, reward: $0.reward, rewards: rewards, limit: service.limits.maxBestOf)
        }
        let prompt = try service.prompt(voice: body.voice, promptAudio: body.promptAudio, promptText: body.promptText)
        let synthesis = try service.synthesize(text: body.text, prompt: prompt, modelName: body.model, parameters: settings,
                                               guidance: guidance, candidates: bestOf?.k ?? 1)
        let wavs = try synthesis.clips.map { try SynthesisResponse.wavBytes($0, format: format) }
        let scored = try ScoredCandidates(wavs.map(SynthesisResponse.decodedSamples), text: body.text, promptAudio: prompt.audio,
                                          rewards: rewards, bestOf: bestOf)
        return SynthesisResponse.make(synthesis, wavs: wavs, scored: scored, format: format)
    }

    /// K must be within 1...max_best_of (422 `invalid_best_of`); the reward, an objective such as
    /// "f0v" or "ctc_likelihood,sim:0.5", must name known rewards (422 `invalid_best_of`) and is
    /// required when K > 1. Every reward it ranks by must be computable: a reward whose model is
    /// not loaded is a capability this configuration lacks, 501 `reward_model_not_loaded` naming
    /// the model to configure. K = 1 is a single sample: nil, and its reward ranks nothing.
    /// `field` names the request's field in messages (listening tests have one per system).
    static func checkBestOf(k: Int, reward: String?, rewards: RewardSet, limit: Int, field: String = "best_of") throws -> BestOfK? {
        guard (1...limit).contains(k) else {
            throw APIError.unprocessable("\(field).k: must be within 1...\(limit), got \(k)", code: "invalid_best_of")
        }
        let objective: RewardObjective?
        do {
            objective = try reward.map { try RewardObjective.parse($0) }
        } catch {
            throw APIError.unprocessable("\(field).reward: \(error)", code: "invalid_best_of")
        }
        guard k > 1 else { return nil }
        guard let objective else {
            throw APIError.unprocessable("\(field).reward: required when k > 1 (the reward that picks the best sample)",
                                         code: "invalid_best_of")
        }
        if let missing = rewards.missing(objective.rewards).first {
            throw APIError(status: 501, code: "reward_model_not_loaded",
                           message: "\(field).reward: '\(missing.rawValue)' needs \(RewardSet.modelNeeded(for: missing)), "
                               + "and none is loaded (loaded rewards: \(rewards.available.map(\.rawValue).joined(separator: ", ")))")
        }
        return BestOfK(k: k, objective: objective)
    }
}
