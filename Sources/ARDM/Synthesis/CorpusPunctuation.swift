import Text

/// The corpus's sentences (`SentenceFilter`) hold no marks but , . ! ? ; : " and always end in
/// . ! or ? (perhaps inside a closing quote). Other marks the phonemizer emits ("—", "…", "(",
/// ")") have text embeddings that never trained, and a text without a final mark is a sequence
/// the model never saw, at the prompt/target seam or at its end. `TTSPipeline` passes each text's
/// tokens through `adapt` before the model reads them; corpus sentences come out unchanged.
enum CorpusPunctuation {
    /// Untrained marks and the trained ones that stand in for them.
    static let substitutes: [String: String] = ["\u{2014}": ",", "\u{2026}": ".", "(": ",", ")": ","]
    static let finalMarks: Set<String> = [".", "!", "?"]
    static let trainedMarks: Set<String> = [",", ".", "!", "?", ";", ":", "\""]

    static func adapt(_ tokens: [String]) -> [String] {
        var out: [String] = []
        var spaceDue = false
        for token in tokens {
            guard let mark = substitutes[token] else {
                // A stand-in for an opening mark ("(with") still needs the space after it.
                if spaceDue && token != PhonemeVocabulary.wordBoundary && !trainedMarks.contains(token) {
                    out.append(PhonemeVocabulary.wordBoundary)
                }
                spaceDue = false
                out.append(token)
                continue
            }
            // Like the trained marks, the stand-in follows its word without a space, and it is
            // neither the text's first token nor a repeat of the mark before it.
            while out.last == PhonemeVocabulary.wordBoundary { out.removeLast() }
            if let last = out.last, !trainedMarks.contains(last) { out.append(mark) }
            spaceDue = !out.isEmpty
        }
        while out.last == PhonemeVocabulary.wordBoundary { out.removeLast() }
        let closingQuotes = out.reversed().prefix { $0 == "\"" }.count
        let end = out.count - closingQuotes
        guard end > 0, !finalMarks.contains(out[end - 1]) else { return out }
        if [",", ";", ":"].contains(out[end - 1]) {
            out[end - 1] = "."
        } else {
            out.insert(".", at: end)
        }
        return out
    }
}
