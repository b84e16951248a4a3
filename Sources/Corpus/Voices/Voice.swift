/// How one engine is driven to make one voice. Fields that do not apply to the engine are nil.
public struct VoiceSettings: Codable, Hashable, Sendable {
    /// The engine's own voice name: espeak "en-gb-scotland+f3", flite "slt", festival "kal_diphone".
    public var engineVoice: String
    /// espeak-ng pitch adjustment, 0-99 (50 is the voice's default).
    public var pitch: Int?
    /// espeak-ng speaking rate, words per minute (175 is the default).
    public var wordsPerMinute: Int?
    /// flite / festival duration scale: > 1 speaks slower.
    public var durationStretch: Double?

    public init(engineVoice: String, pitch: Int? = nil, wordsPerMinute: Int? = nil, durationStretch: Double? = nil) {
        self.engineVoice = engineVoice
        self.pitch = pitch
        self.wordsPerMinute = wordsPerMinute
        self.durationStretch = durationStretch
    }
}

/// One corpus voice: an engine with fixed settings. `seen` voices are trained on; unseen ones
/// appear only in the test split (zero-shot prompts and evaluation). Written to voices.json.
public struct Voice: Codable, Hashable, Sendable {
    /// Stable id built from the engine and settings, e.g. "espeak-en-gb-scotland-f3-p65-r160",
    /// "flite-slt-d100", "festival-kal_diphone-d115".
    public var id: String
    public var engine: Engine
    public var settings: VoiceSettings
    public var seen: Bool

    public init(engine: Engine, settings: VoiceSettings, seen: Bool) {
        self.engine = engine
        self.settings = settings
        self.seen = seen
        self.id = Voice.identifier(engine: engine, settings: settings)
    }

    static func identifier(engine: Engine, settings: VoiceSettings) -> String {
        var parts = [engine.rawValue, settings.engineVoice.replacingOccurrences(of: "+", with: "-")]
        if let pitch = settings.pitch { parts.append("p\(pitch)") }
        if let rate = settings.wordsPerMinute { parts.append("r\(rate)") }
        if let stretch = settings.durationStretch { parts.append("d\(Int((stretch * 100).rounded()))") }
        return parts.joined(separator: "-")
    }
}
