/// The body of `POST /v1/score`, decoded strictly (unknown fields and wrong types are 400): the
/// clip to score as base64 (a file part in multipart form), optionally the words it should say,
/// and the voice it should sound like as a stored voice id or base64 prompt audio.
struct ScoreRequestBody: Decodable {
    let audio: String
    let text: String?
    let promptAudio: String?
    let voice: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case audio, text, voice
        case promptAudio = "prompt_audio"
    }

    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        audio = try c.decode(String.self, forKey: .audio)
        text = try c.decodeIfPresent(String.self, forKey: .text)
        promptAudio = try c.decodeIfPresent(String.self, forKey: .promptAudio)
        voice = try c.decodeIfPresent(String.self, forKey: .voice)
    }
}
