import Foundation
import Rewards

/// `POST /v1/score`: rewards of any clip (DESIGN §11), for people scoring audio with curl and
/// listening-test backends. JSON, or multipart/form-data with `audio` and `prompt_audio` as file
/// uploads. Answers `{"duration_seconds", "scores", "skipped"}`: every score the inputs and the
/// loaded models allow (see `ScoreReport`), and for each reward left out, why.
///
/// Order of checks: body shape (400), text (422), audio (400 bad base64, 422 not audio, too
/// short or too long), voice (404).
struct ScoreRoutes: Sendable {
    let models: ModelRegistry
    let voices: VoiceStore
    let limits: ServerConfig.Limits

    /// Shorter than this holds no pitch contour or phoneme worth scoring (two F0 frames).
    static let minimumSeconds = 0.1

    struct Scored: Encodable {
        let durationSeconds: Double
        let scores: [String: Double]
        let skipped: [String: String]

        enum CodingKeys: String, CodingKey {
            case scores, skipped
            case durationSeconds = "duration_seconds"
        }
    }

    func score(_ request: Request, _ parameters: RouteParameters) throws -> Response {
        let body = try request.decodeJSONOrFormBody(ScoreRequestBody.self, fileFields: ["audio", "prompt_audio"])
        if let text = body.text {
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw APIError.unprocessable("text: must not be empty (leave it out to skip the text rewards)",
                                             code: "invalid_text")
            }
            try VoiceRoutes.checkSpeakable(text, field: "text", limit: limits.maxTextChars)
        }
        let audio = try AudioUpload.decode(base64: body.audio, field: "audio", maxSeconds: limits.maxAudioSeconds,
                                           minimumSeconds: Self.minimumSeconds)
        let input = RewardInput.likeCorpus(audio: audio.samples, text: body.text,
                                           promptAudio: try prompt(voice: body.voice, promptAudio: body.promptAudio))
        let scored = models.rewards.score([input])
        let report = ScoreReport(scored.scores[0], skipped: scored.skipped)
        return .json(Scored(durationSeconds: (audio.duration * 1000).rounded() / 1000, scores: report.scores,
                            skipped: report.skipped))
    }

    /// The prompt SIM compares with: a stored voice's audio, an upload, or none.
    private func prompt(voice: String?, promptAudio: String?) throws -> [Float]? {
        switch (voice, promptAudio) {
        case (.some, .some):
            throw APIError.unprocessable("give either voice or prompt_audio, not both", code: "conflicting_fields")
        case let (.some(id), nil):
            return try voices.requireVoice(id: id).audio.samples
        case let (nil, .some(base64)):
            return try AudioUpload.decode(base64: base64, field: "prompt_audio", maxSeconds: limits.maxPromptSeconds).samples
        case (nil, nil):
            return nil
        }
    }
}
