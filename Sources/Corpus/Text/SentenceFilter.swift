/// Decides whether a sentence is clean English prose that every engine reads the same way,
/// so that the phonemes stored for it match what all voices say.
///
/// Kept: 4-25 words; starts with a capital letter; ends with ".", "!" or "?"; only letters,
/// spaces and , . ! ? ; : ' " - ; quotes balanced. Rejected: digits (engines expand numbers
/// differently), all-capital words other than "I"/"A"/"OK" (acronyms are spelled or read
/// inconsistently), URLs, code, "Q:"-style labels, words longer than 20 letters.
public struct SentenceFilter: Sendable {
    public var minimumWords: Int
    public var maximumWords: Int
    /// Longest word, letters: longer tokens are identifiers, not English words.
    public static let maximumWordLength = 20

    public init(minimumWords: Int = 4, maximumWords: Int = 25) {
        self.minimumWords = minimumWords
        self.maximumWords = maximumWords
    }

    static let allowedPunctuation: Set<Character> = [",", ".", "!", "?", ";", ":", "'", "\"", "-", " "]
    static let allowedCapitalWords: Set<String> = ["I", "A", "OK", "O"]

    public func accepts(_ sentence: String) -> Bool {
        guard sentence.allSatisfy({ ($0.isASCII && $0.isLetter) || Self.allowedPunctuation.contains($0) }) else { return false }
        guard let first = sentence.first(where: { $0 != "\"" }), first.isUppercase else { return false }
        guard let last = sentence.last(where: { $0 != "\"" }), SentenceSplitter.terminators.contains(last) else { return false }
        guard sentence.filter({ $0 == "\"" }).count % 2 == 0 else { return false }
        guard !sentence.contains("--"), !sentence.contains(".."), !sentence.contains("''") else { return false }
        let words = sentence.split(separator: " ")
        guard (minimumWords...maximumWords).contains(words.count) else { return false }
        for word in words {
            let letters = word.filter { $0.isLetter }
            guard !letters.isEmpty, letters.count <= Self.maximumWordLength else { return false }
            if letters.count > 1, letters.allSatisfy({ $0.isUppercase }), !Self.allowedCapitalWords.contains(letters) { return false }
            if word.hasSuffix(":") && letters.count <= 2 { return false }  // "Q:" "A:" dialogue labels
            if word.first == "-" || word.last == "-" { return false }
        }
        return true
    }

    /// The key under which two sentences count as duplicates: lower-case letters and spaces only.
    public static func deduplicationKey(_ sentence: String) -> String {
        String(sentence.lowercased().filter { $0.isLetter || $0 == " " }.split(separator: " ").joined(separator: " "))
    }
}
