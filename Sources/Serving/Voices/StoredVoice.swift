import Audio

/// A prompt voice: the audio the model continues from and the words spoken in it.
public struct StoredVoice: Sendable {
    public let id: String
    public let name: String
    public let promptText: String
    /// Built-in voices ship with the server and cannot be deleted.
    public let builtin: Bool
    /// 16 kHz mono prompt audio.
    public let audio: Waveform

    public var seconds: Double { audio.duration }

    /// What `GET /v1/voices` shows of it.
    public var summary: Summary {
        Summary(id: id, name: name, promptText: promptText, seconds: (seconds * 1000).rounded() / 1000, builtin: builtin)
    }

    public struct Summary: Codable, Equatable, Sendable {
        public let id: String
        public let name: String
        public let promptText: String
        public let seconds: Double
        public let builtin: Bool

        enum CodingKeys: String, CodingKey {
            case id, name, seconds, builtin
            case promptText = "prompt_text"
        }
    }
}
