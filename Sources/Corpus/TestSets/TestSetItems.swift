/// The prompt of a zero-shot test item: a stored test-split utterance of an unseen voice.
public struct PromptReference: Codable, Equatable, Sendable {
    public var utteranceID: String
    public var voice: String
    public var text: String
    public var phonemes: [String]
    public var duration: Double
}

/// Task A (task-a.json): one unseen voice's prompt and a different held-out sentence to say in
/// that voice; `referenceUtteranceID` is the corpus audio of that voice saying the target.
public struct TaskAItem: Codable, Equatable, Sendable {
    public var id: String
    public var prompt: PromptReference
    public var targetText: String
    public var targetPhonemes: [String]
    public var targetPhonemeIDs: [Int32]
    public var referenceUtteranceID: String?
}

/// Task B (task-b.json): a long "hard" sentence built from test-split sentences with words,
/// phrases and clauses repeated at random, and an unseen voice's prompt.
public struct TaskBItem: Codable, Equatable, Sendable {
    public var id: String
    public var prompt: PromptReference
    public var targetText: String
    public var targetPhonemes: [String]
    public var targetPhonemeIDs: [Int32]
    /// The test sentences it was built from.
    public var sourceSentences: [String]
    /// What was repeated, e.g. "word 'the' x3", "phrase 'over the hill' x2", "clause 'if you can,' x2".
    public var repetitions: [String]
}
