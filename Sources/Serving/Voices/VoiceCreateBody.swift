/// The JSON body of `POST /v1/voices`: a display name, the words spoken in the prompt, and the
/// prompt audio as base64 (any format libsndfile reads; a file part in multipart form). Unknown
/// fields are rejected.
struct VoiceCreateBody: Decodable {
    let name: String
    let promptText: String
    let audio: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, audio
        case promptText = "prompt_text"
    }

    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        promptText = try container.decode(String.self, forKey: .promptText)
        audio = try container.decode(String.self, forKey: .audio)
    }
}
