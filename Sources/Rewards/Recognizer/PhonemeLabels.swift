import Text

/// Which phoneme-vocabulary tokens the recogniser transcribes, and its blank.
///
/// The recogniser's classes are the ids of `PhonemeVocabulary.standard` (so its output needs no
/// second table), with the never-spoken `<pad>` id as the CTC blank. Its labels are the spoken
/// phonemes only: specials, word boundaries, punctuation and stress marks are dropped from the
/// targets, because none of them has a sound of its own (a word boundary is usually not a
/// pause, stress is a property of a vowel), and asking CTC to place them would charge the
/// likelihood reward and the PER for things audio cannot show.
public struct PhonemeLabels: Sendable {
    public let vocabulary: PhonemeVocabulary
    private let dropped: Set<Int32>

    public init(vocabulary: PhonemeVocabulary = .standard) {
        self.vocabulary = vocabulary
        let silent = [PhonemeVocabulary.pad, PhonemeVocabulary.bos, PhonemeVocabulary.sep, PhonemeVocabulary.unknown,
                      PhonemeVocabulary.wordBoundary, PhonemeVocabulary.primaryStress, PhonemeVocabulary.secondaryStress,
                      ",", ".", "!", "?", ";", ":", "\u{2014}", "\u{2026}", "\"", "(", ")"]
        dropped = Set(silent.filter(vocabulary.contains).map(vocabulary.id(of:)))
    }

    /// The CTC blank: the `<pad>` id.
    public var blank: Int32 { vocabulary.padID }
    /// Output classes of the recogniser: the whole vocabulary.
    public var classCount: Int { vocabulary.count }

    /// The spoken phonemes of a token-id sequence, in order.
    public func labels(fromTokenIDs ids: [Int32]) -> [Int32] { ids.filter { !dropped.contains($0) } }

    public func isLabel(_ id: Int32) -> Bool { id >= 0 && Int(id) < vocabulary.count && !dropped.contains(id) }

    /// Phoneme symbols of label ids (for logs and JSON).
    public func symbols(_ labels: [Int32]) -> [String] {
        labels.map { Int($0) < vocabulary.count && $0 >= 0 ? vocabulary.symbols[Int($0)] : PhonemeVocabulary.unknown }
    }
}
