import Audio

/// corpus.json: what was built, how, and how much. Written last, so its presence means the
/// build is complete. Holds no wall-clock times, so two builds with one seed write equal files.
public struct CorpusSummary: Codable, Equatable, Sendable {
    public struct SplitSummary: Codable, Equatable, Sendable {
        public var utterances: Int
        public var hours: Double
        public var voices: Int
        public var utterancesWithTimings: Int
    }

    public struct VoiceCounts: Codable, Equatable, Sendable {
        public var total: Int
        public var seen: Int
        public var unseen: Int
        /// Voices per engine name.
        public var byEngine: [String: Int]
    }

    public var formatVersion: Int
    public var size: String
    public var seed: UInt64
    public var sampleRate: Int
    public var spectral: SpectralConfiguration
    public var melBins: Int
    public var trimmer: SilenceTrimmer
    public var loudness: LoudnessNormalizer
    public var phonemizerLanguage: String
    public var vocabularyVersion: Int
    public var splits: [String: SplitSummary]
    public var voices: VoiceCounts
    /// Usable sentences per split in the pool (sentences.json), used or not.
    public var sentences: [String: Int]
    public var engineVersions: [String: String]
    public var taskAItems: Int
    public var taskBItems: Int
    /// SHA-256 of manifest.jsonl, so a reader or a second build can compare stores at a glance.
    public var manifestSHA256: String

    public static let currentFormatVersion = 1
    public var totalHours: Double { splits.values.map(\.hours).reduce(0, +) }
}
