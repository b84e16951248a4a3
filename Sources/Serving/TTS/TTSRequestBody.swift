/// The JSON body of `POST /v1/tts` (DESIGN §11), decoded strictly: unknown fields, wrong types
/// and missing `text` are 400. Ranges are checked afterwards (`SynthesisParameters`, 422).
struct TTSRequestBody: Decodable {
    let text: String
    /// A stored voice id (`GET /v1/voices`); or inline `prompt_audio` (base64) with `prompt_text`.
    let voice: String?
    let promptAudio: String?
    let promptText: String?
    let model: String?
    let seed: UInt64?
    let steps: Int?
    let cfg: Double?
    let voiceScale: Double?
    let temperature: Double?
    let maxSeconds: Double?
    let timbreMatch: Double?
    let responseFormat: String?
    let guidance: Guidance?
    let bestOf: BestOf?

    /// Value guidance (Algorithm 2): the value model's name and the scale λ.
    struct Guidance: Decodable {
        let valueModel: String
        let scale: Double

        enum CodingKeys: String, CodingKey, CaseIterable {
            case scale
            case valueModel = "value_model"
        }

        init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            valueModel = try container.decode(String.self, forKey: .valueModel)
            scale = try container.decode(Double.self, forKey: .scale)
        }
    }

    /// Best-of-K: sample K candidates, return the one the named reward scores highest.
    struct BestOf: Decodable {
        let k: Int
        let reward: String?

        enum CodingKeys: String, CodingKey, CaseIterable { case k, reward }

        init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            k = try container.decode(Int.self, forKey: .k)
            reward = try container.decodeIfPresent(String.self, forKey: .reward)
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case text, voice, model, seed, steps, cfg, temperature, guidance
        case promptAudio = "prompt_audio"
        case promptText = "prompt_text"
        case maxSeconds = "max_seconds"
        case responseFormat = "response_format"
        case bestOf = "best_of"
        case voiceScale = "voice_scale"
        case timbreMatch = "timbre_match"
    }

    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        text = try c.decode(String.self, forKey: .text)
        voice = try c.decodeIfPresent(String.self, forKey: .voice)
        promptAudio = try c.decodeIfPresent(String.self, forKey: .promptAudio)
        promptText = try c.decodeIfPresent(String.self, forKey: .promptText)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
        steps = try c.decodeIfPresent(Int.self, forKey: .steps)
        cfg = try c.decodeIfPresent(Double.self, forKey: .cfg)
        voiceScale = try c.decodeIfPresent(Double.self, forKey: .voiceScale)
        temperature = try c.decodeIfPresent(Double.self, forKey: .temperature)
        maxSeconds = try c.decodeIfPresent(Double.self, forKey: .maxSeconds)
        timbreMatch = try c.decodeIfPresent(Double.self, forKey: .timbreMatch)
        responseFormat = try c.decodeIfPresent(String.self, forKey: .responseFormat)
        guidance = try c.decodeIfPresent(Guidance.self, forKey: .guidance)
        bestOf = try c.decodeIfPresent(BestOf.self, forKey: .bestOf)
    }
}
