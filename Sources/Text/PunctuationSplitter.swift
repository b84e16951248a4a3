/// A piece of normalised text: words for espeak-ng, or one punctuation mark (which espeak-ng
/// would drop), with whether whitespace preceded it in the text.
enum TextSegment: Equatable {
    case words(String, spaceBefore: Bool)
    case punctuation(String, spaceBefore: Bool)
}

/// Splits normalised text at punctuation that stands at a word edge. Punctuation inside a word
/// stays for espeak-ng to read: "3:45", "12.50", "e.g", "don't", "well-known".
enum PunctuationSplitter {
    /// Marks that may end a word ("word," "word." "word?" "word)" ...).
    static let trailing: Set<Character> = [",", ".", "!", "?", ";", ":", "\"", ")", "\u{2026}", "\u{2014}"]
    /// Marks that may begin a word ("\"word" "(word").
    static let leading: Set<Character> = ["\"", "(", "\u{2026}", "\u{2014}"]

    static func split(_ text: String) -> [TextSegment] {
        var segments: [TextSegment] = []
        var words: [Substring] = []
        var wordsSpaceBefore = false
        func flushWords() {
            if !words.isEmpty { segments.append(.words(words.joined(separator: " "), spaceBefore: wordsSpaceBefore)) }
            words = []
        }
        for (index, chunk) in text.split(separator: " ").enumerated() {
            var body = chunk[...]
            var spaceBefore = index > 0
            var leadingMarks: [Character] = []
            while let first = body.first, leading.contains(first) || (body.count > 0 && body.allSatisfy { trailing.contains($0) }) {
                leadingMarks.append(first)
                body = body.dropFirst()
            }
            var trailingMarks: [Character] = []
            while let last = body.last, trailing.contains(last) {
                trailingMarks.insert(last, at: 0)
                body = body.dropLast()
            }
            if !leadingMarks.isEmpty {
                flushWords()
                for mark in leadingMarks {
                    segments.append(.punctuation(String(mark), spaceBefore: spaceBefore))
                    spaceBefore = false
                }
            }
            if !body.isEmpty {
                if words.isEmpty { wordsSpaceBefore = spaceBefore }
                words.append(body)
            }
            if !trailingMarks.isEmpty {
                flushWords()
                for mark in trailingMarks { segments.append(.punctuation(String(mark), spaceBefore: false)) }
            }
        }
        flushWords()
        return segments
    }
}
