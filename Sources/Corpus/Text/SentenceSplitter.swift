/// Splits an entry of running text into sentences: a sentence ends at ".", "!" or "?"
/// (optionally followed by closing quotes or a parenthesis) when the next word begins with an
/// upper-case letter or an opening quote. Abbreviations ("Mr. Smith") split wrongly; the
/// filter then rejects the fragments (too short, or not a whole sentence).
enum SentenceSplitter {
    static let terminators: Set<Character> = [".", "!", "?"]
    static let closers: Set<Character> = ["\"", "'", ")"]

    static func sentences(in entry: String) -> [String] {
        let words = entry.split(separator: " ")
        var sentences: [String] = []
        var current: [Substring] = []
        for (index, word) in words.enumerated() {
            current.append(word)
            let core = word.reversed().drop { closers.contains($0) }
            guard let last = core.first, terminators.contains(last) else { continue }
            let next = index + 1 < words.count ? words[index + 1].first : nil
            if next == nil || next!.isUppercase || next == "\"" {
                sentences.append(current.joined(separator: " "))
                current = []
            }
        }
        if !current.isEmpty { sentences.append(current.joined(separator: " ")) }
        return sentences
    }
}
