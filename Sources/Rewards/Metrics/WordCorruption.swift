import NN
import Text

/// Corrupted versions of a phoneme-token sequence for the likelihood reward's ranking test
/// (issue 5, must show 2): one word repeated or one word dropped, the errors a TTS model makes
/// on the paper's Task B. Words are the runs between word-boundary tokens.
public enum WordCorruption: String, Codable, Sendable, CaseIterable {
    case repeatWord = "repeat", dropWord = "drop"

    /// The corrupted token ids; nil when the sequence has fewer than two words (dropping the
    /// only word leaves nothing to compare). The word is drawn among those with a token that
    /// `isSpoken` accepts, so a lone punctuation mark is never the one repeated or dropped.
    public func apply(_ ids: [Int32], vocabulary: PhonemeVocabulary = .standard, isSpoken: (Int32) -> Bool = { _ in true },
                      rng: inout RNG) -> [Int32]? {
        let boundary = vocabulary.id(of: PhonemeVocabulary.wordBoundary)
        let words = ids.split(separator: boundary, omittingEmptySubsequences: true).map(Array.init)
        let candidates = words.indices.filter { words[$0].contains(where: isSpoken) }
        guard words.count >= 2, !candidates.isEmpty else { return nil }
        let k = candidates[rng.int(below: candidates.count)]
        var result = words
        switch self {
        case .repeatWord: result.insert(words[k], at: k)
        case .dropWord: result.remove(at: k)
        }
        return Array(result.joined(separator: [boundary]))
    }
}
