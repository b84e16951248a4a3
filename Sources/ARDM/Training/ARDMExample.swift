/// One training sequence: the phonemes of prompt text + target text, and the speech tokens of
/// prompt speech + target speech (S tokens of D = P·M normalised log-mel values, frame-major
/// inside a patch). `auxiliaryTargets (S)` gives each token's engine phone class, or −1.
public struct ARDMExample: Sendable {
    public var textIDs: [Int32]
    public var speech: [Float]
    public var auxiliaryTargets: [Int32]

    public init(textIDs: [Int32], speech: [Float], auxiliaryTargets: [Int32]) {
        self.textIDs = textIDs; self.speech = speech; self.auxiliaryTargets = auxiliaryTargets
    }

    public func tokenCount(width D: Int) -> Int { speech.count / D }
}

/// The losses of one step, each a mean over its own terms.
public struct ARDMLosses: Sendable, Codable {
    public var diffusion: Float
    public var stop: Float
    public var auxiliary: Float
    public var total: Float

    public init(diffusion: Float, stop: Float, auxiliary: Float, total: Float) {
        self.diffusion = diffusion; self.stop = stop; self.auxiliary = auxiliary; self.total = total
    }
}
