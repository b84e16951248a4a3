import Audio

/// What the reward trainers read from a corpus: the one place a corpus store is adapted to
/// (vgpo-train adapts Corpus.CorpusStore to it), so Rewards does not depend on the corpus module.
public protocol TrainingCorpus: Sendable {
    /// Utterances of a split, in a fixed order.
    func utterances(_ split: TrainingSplit) -> [TrainingUtterance]
    /// Un-normalised log-mel of an utterance, (frameCount, melBins) row-major.
    func logMel(_ utterance: TrainingUtterance) throws -> LogMel
    /// Per-bin statistics of the training split's log-mel.
    func melStatistics() throws -> MelStatistics
    /// Ids of the voices the train split speaks, sorted (the speaker classes).
    var trainingVoices: [String] { get }
    /// A description for model cards and logs (path, size, seed, manifest checksum).
    var description: String { get }
}

public enum TrainingSplit: String, Codable, Sendable, CaseIterable { case train, validation, test }

/// One utterance as the trainers see it.
public struct TrainingUtterance: Sendable, Equatable {
    public var id: String
    public var voice: String
    /// Whether the voice is one of those the corpus trains on (false: held out, "unseen").
    public var seenVoice: Bool
    /// Phoneme-vocabulary token ids of the text (word boundaries and stress marks included).
    public var phonemeIDs: [Int32]
    public var frameCount: Int
    public var text: String

    public init(id: String, voice: String, seenVoice: Bool, phonemeIDs: [Int32], frameCount: Int, text: String) {
        self.id = id; self.voice = voice; self.seenVoice = seenVoice
        self.phonemeIDs = phonemeIDs; self.frameCount = frameCount; self.text = text
    }
}
