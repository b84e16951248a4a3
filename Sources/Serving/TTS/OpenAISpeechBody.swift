/// The body of `POST /v1/audio/speech`, the subset of OpenAI's speech API that this server can
/// honour: `model`, `input`, `voice`, `response_format`, `speed`. Unknown fields are rejected,
/// so an option we would ignore is never silently dropped.
struct OpenAISpeechBody: Decodable {
    let model: String
    let input: String
    let voice: String
    let responseFormat: String?
    let speed: Double?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, input, voice, speed
        case responseFormat = "response_format"
    }

    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decode(String.self, forKey: .model)
        input = try c.decode(String.self, forKey: .input)
        voice = try c.decode(String.self, forKey: .voice)
        responseFormat = try c.decodeIfPresent(String.self, forKey: .responseFormat)
        speed = try c.decodeIfPresent(Double.self, forKey: .speed)
    }
}
