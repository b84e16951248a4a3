/// Levenshtein distance: the fewest substitutions, insertions and deletions that turn
/// `hypothesis` into `reference` (each costs 1). Two rolling rows, O(|h|·|r|) time.
public func editDistance<Element: Equatable>(_ hypothesis: [Element], _ reference: [Element]) -> Int {
    if hypothesis.isEmpty { return reference.count }
    if reference.isEmpty { return hypothesis.count }
    var previous = Array(0...reference.count)
    var current = [Int](repeating: 0, count: reference.count + 1)
    for i in 1...hypothesis.count {
        current[0] = i
        for j in 1...reference.count {
            let substitution = previous[j - 1] + (hypothesis[i - 1] == reference[j - 1] ? 0 : 1)
            current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
        }
        swap(&previous, &current)
    }
    return previous[reference.count]
}

/// An error rate pooled over many utterances (PER over phonemes, CER over characters):
/// total edits / total reference length, so long utterances weigh by their length, as in
/// the usual corpus-level WER/CER.
public struct ErrorRate: Sendable, Equatable, Codable {
    public private(set) var edits = 0
    public private(set) var referenceLength = 0

    public init() {}

    public mutating func add<Element: Equatable>(hypothesis: [Element], reference: [Element]) {
        edits += editDistance(hypothesis, reference)
        referenceLength += reference.count
    }

    /// Pools another set of edits (e.g. one utterance's) into this one.
    public mutating func add(_ other: ErrorRate) {
        edits += other.edits
        referenceLength += other.referenceLength
    }

    /// edits / reference length; 0 for an empty reference with no insertions.
    public var rate: Double { referenceLength == 0 ? Double(edits) : Double(edits) / Double(referenceLength) }
}

/// Character error rate of two texts after the usual normalisation: lower case, letters, digits
/// and apostrophes kept, every other run of characters a single space.
public func characterErrorRate(hypothesis: String, reference: String) -> Double {
    var e = ErrorRate()
    e.add(hypothesis: Array(normalizedForCER(hypothesis)), reference: Array(normalizedForCER(reference)))
    return e.rate
}

func normalizedForCER(_ text: String) -> String {
    var out = ""
    var pendingSpace = false
    for ch in text.lowercased() {
        if ch.isLetter || ch.isNumber || ch == "'" {
            if pendingSpace && !out.isEmpty { out.append(" ") }
            pendingSpace = false
            out.append(ch)
        } else {
            pendingSpace = true
        }
    }
    return out
}
