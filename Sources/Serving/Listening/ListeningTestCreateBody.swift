/// The JSON body of `POST /v1/listening-tests`, decoded strictly (unknown fields are 400):
///
///     {"name": "N-CMOS base vs VGPO", "kind": "naturalness",
///      "system_a": {"label": "base", "model": "base", "seed": 1},
///      "system_b": {"label": "guided", "model": "base", "value_model": "value-f0v", "scale": 16, "seed": 1},
///      "samples_per_item": 1,
///      "items": [{"text": "...", "voice": "builtin-voice-id"}]}
///
/// An item may instead carry its audio: `audio_a` and `audio_b`, one base64 clip per sample
/// (then every item must, and no model is run).
struct ListeningTestCreateBody: Decodable {
    let name: String
    let kind: String
    let systemA: ListeningSystem
    let systemB: ListeningSystem
    let samplesPerItem: Int?
    let items: [Item]

    struct Item: Decodable {
        let text: String
        let voice: String?
        let audioA: [String]?
        let audioB: [String]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case text, voice
            case audioA = "audio_a", audioB = "audio_b"
        }

        init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            text = try c.decode(String.self, forKey: .text)
            voice = try c.decodeIfPresent(String.self, forKey: .voice)
            audioA = try c.decodeIfPresent([String].self, forKey: .audioA)
            audioB = try c.decodeIfPresent([String].self, forKey: .audioB)
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, kind, items
        case systemA = "system_a", systemB = "system_b", samplesPerItem = "samples_per_item"
    }

    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        kind = try c.decode(String.self, forKey: .kind)
        systemA = try c.decode(ListeningSystem.self, forKey: .systemA)
        systemB = try c.decode(ListeningSystem.self, forKey: .systemB)
        samplesPerItem = try c.decodeIfPresent(Int.self, forKey: .samplesPerItem)
        items = try c.decode([Item].self, forKey: .items)
    }
}

/// The JSON body of `POST /v1/listening-tests/{id}/next`.
struct ListenerBody: Decodable {
    let listener: String
    enum CodingKeys: String, CodingKey, CaseIterable { case listener }
    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        listener = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .listener)
    }
}

/// The JSON body of `POST /v1/listening-tests/{id}/ratings`.
struct RatingBody: Decodable {
    let listener: String
    let presentation: String
    let score: Int
    enum CodingKeys: String, CodingKey, CaseIterable { case listener, presentation, score }
    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        listener = try c.decode(String.self, forKey: .listener)
        presentation = try c.decode(String.self, forKey: .presentation)
        score = try c.decode(Int.self, forKey: .score)
    }
}
