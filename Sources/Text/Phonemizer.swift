/// Text -> IPA phoneme tokens (DESIGN §5), through espeak-ng's C library.
///
///   normalise -> split at word-edge punctuation -> espeak-ng (IPA, "_" between phonemes) per
///   run of words -> tokens: stress marks as their own tokens before the phoneme they mark,
///   phonemes in the vocabulary as one token (else spelled by IPA character, else <unk>),
///   " " between words, punctuation tokens where the text had them.
///
/// Example (en-us): "Hello, world!" -> h ə l ˈ oʊ , ␣ w ˈ ɜː l d !
/// Safe to call from any thread: espeak-ng calls are serialised inside.
public struct Phonemizer: Sendable {
    public var language: String
    public var normalizer: TextNormalizer
    public let vocabulary: PhonemeVocabulary

    public init(language: String = "en-us", normalizer: TextNormalizer = TextNormalizer(),
                vocabulary: PhonemeVocabulary = .standard) {
        self.language = language
        self.normalizer = normalizer
        self.vocabulary = vocabulary
    }

    /// Phoneme tokens of `text`. Throws `TextError` for empty, control-only, over-long or
    /// unspeakable text.
    public func tokens(_ text: String) throws(TextError) -> [String] {
        let normalised = try normalizer.normalize(text)
        var tokens: [String] = []
        var hasPhonemes = false
        func appendBoundary() {
            if let last = tokens.last, last != PhonemeVocabulary.wordBoundary { tokens.append(PhonemeVocabulary.wordBoundary) }
        }
        for segment in PunctuationSplitter.split(normalised) {
            switch segment {
            case .punctuation(let mark, let spaceBefore):
                if spaceBefore { appendBoundary() }
                tokens.append(mark)
            case .words(let words, let spaceBefore):
                let ipa = try EspeakEngine.shared.phonemes(words, language: language)
                let wordTokens = ipa.split(separator: " ").map(phonemeTokens(ofWord:)).filter { !$0.isEmpty }
                guard !wordTokens.isEmpty else { continue }
                if spaceBefore { appendBoundary() }
                for (index, word) in wordTokens.enumerated() {
                    if index > 0 { appendBoundary() }
                    tokens += word
                }
                hasPhonemes = true
            }
        }
        guard hasPhonemes else { throw .nothingToSpeak }
        while tokens.last == PhonemeVocabulary.wordBoundary { tokens.removeLast() }
        return tokens
    }

    /// Vocabulary ids of `text`'s tokens (no BOS/SEP: the model's sequence builder adds those).
    public func ids(_ text: String) throws(TextError) -> [Int32] {
        vocabulary.ids(try tokens(text))
    }

    /// One espeak-ng word ("h_ə_l_ˈoʊ") -> tokens ["h", "ə", "l", "ˈ", "oʊ"].
    func phonemeTokens(ofWord word: Substring) -> [String] {
        var result: [String] = []
        for rawPhoneme in word.split(separator: "_") {
            var phoneme = String(rawPhoneme.unicodeScalars.filter { $0 != "\u{200D}" })
            while let first = phoneme.first, String(first) == PhonemeVocabulary.primaryStress
                    || String(first) == PhonemeVocabulary.secondaryStress {
                result.append(String(first))
                phoneme.removeFirst()
            }
            guard !phoneme.isEmpty else { continue }
            if vocabulary.contains(phoneme) {
                result.append(phoneme)
            } else {
                for scalar in phoneme.unicodeScalars {
                    let symbol = String(scalar)
                    result.append(vocabulary.contains(symbol) ? symbol : PhonemeVocabulary.unknown)
                }
            }
        }
        return result
    }
}
