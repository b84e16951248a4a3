import Foundation
import Text

/// `GET /v1/voices`, `POST /v1/voices` (201 with the new voice; JSON with base64 `audio`, or
/// multipart/form-data with an `audio` file) and `DELETE /v1/voices/{id}`.
struct VoiceRoutes: Sendable {
    let voices: VoiceStore
    let limits: ServerConfig.Limits

    /// Longest display name, in characters.
    static let maxNameCharacters = 100

    struct VoiceList: Encodable {
        let voices: [StoredVoice.Summary]
    }

    struct Deleted: Encodable {
        let id: String
        let deleted: Bool
    }

    func list(_ request: Request, _ parameters: RouteParameters) -> Response {
        .json(VoiceList(voices: voices.all.map(\.summary)))
    }

    func create(_ request: Request, _ parameters: RouteParameters) throws -> Response {
        let body = try request.decodeJSONOrFormBody(VoiceCreateBody.self, fileFields: ["audio"])
        let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...Self.maxNameCharacters).contains(name.count), !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw APIError.unprocessable("name: 1 to \(Self.maxNameCharacters) characters, no control characters", code: "invalid_name")
        }
        try Self.checkSpeakable(body.promptText, field: "prompt_text", limit: limits.maxTextChars)
        let audio = try AudioUpload.decode(base64: body.audio, field: "audio", maxSeconds: limits.maxPromptSeconds)
        let voice: StoredVoice
        do {
            voice = try voices.create(name: name, promptText: body.promptText, audio: audio)
        } catch {
            throw APIError.internal("could not store the voice: \(error)")
        }
        return .json(voice.summary, status: 201, headers: ["Location": "/v1/voices/\(voice.id)"])
    }

    func delete(_ request: Request, _ parameters: RouteParameters) throws -> Response {
        let id = parameters["id"] ?? ""
        guard VoiceID.isWellFormed(id) else {
            throw APIError.badRequest("voice id '\(id)' is not well formed (1-64 of a-z, 0-9, '-', '_')", code: "invalid_voice_id")
        }
        do {
            try voices.delete(id: id)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.internal("could not delete voice '\(id)': \(error)")
        }
        return .json(Deleted(id: id, deleted: true))
    }

    /// 422 unless `text` is within the length limit and the phonemizer finds something to say.
    static func checkSpeakable(_ text: String, field: String, limit: Int) throws {
        guard text.count <= limit else {
            throw APIError.unprocessable("\(field): \(text.count) characters; the limit is \(limit)", code: "text_too_long")
        }
        do {
            _ = try Phonemizer().tokens(text)
        } catch {
            throw APIError(textError: error, field: field)
        }
    }
}
