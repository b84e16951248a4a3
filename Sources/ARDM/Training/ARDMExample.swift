/// One training sequence: the phonemes of prompt text + target text, and the speech tokens of
/// prompt speech + target speech (S tokens of D = P·M normalised log-mel values, frame-major
/// inside a patch). `auxiliaryTargets (S)` gives each token's engine phone class, or −1.
/// `promptTextCount` and `promptTokenCount` say where the prompt ends in each (the alignment
/// prior aligns prompt speech with prompt text and target speech with target text).
/// `history`, when set, is what the LM reads in place of `speech` (same shape): the targets stay
/// `speech` (free-running segments, `FreeRunningSegments`). `generated`, when set, are speech
/// tokens the sampler made (re-aligned free-running segments): the LM reads them but the
/// diffusion head does not learn them.
public struct ARDMExample: Sendable {
    public var textIDs: [Int32]
    public var speech: [Float]
    public var history: [Float]?
    public var generated: Range<Int>?
    public var auxiliaryTargets: [Int32]
    public var promptTextCount: Int
    public var promptTokenCount: Int

    public init(textIDs: [Int32], speech: [Float], auxiliaryTargets: [Int32], promptTextCount: Int = 0, promptTokenCount: Int = 0) {
        self.textIDs = textIDs; self.speech = speech; self.auxiliaryTargets = auxiliaryTargets
        self.promptTextCount = promptTextCount; self.promptTokenCount = promptTokenCount
    }

    public func tokenCount(width D: Int) -> Int { speech.count / D }

    /// LM rows of the sequence with its text: `[BOS] text [SEP]` and the speech tokens.
    public func rows(width D: Int) -> Int { textIDs.count + 2 + tokenCount(width: D) }
}

/// The losses of one step, each a mean over its own terms.
public struct ARDMLosses: Sendable, Codable {
    public var diffusion: Float
    public var stop: Float
    public var auxiliary: Float
    /// Guided-attention penalty of the alignment heads (0 without them).
    public var alignment: Float
    public var total: Float

    public init(diffusion: Float, stop: Float, auxiliary: Float, alignment: Float = 0, total: Float) {
        self.diffusion = diffusion; self.stop = stop; self.auxiliary = auxiliary; self.alignment = alignment; self.total = total
    }
}
