/// The fixed token vocabulary: specials, word boundary, punctuation, stress marks, the IPA
/// phonemes espeak-ng's English voices write, and single IPA characters as a fallback for
/// anything else (other languages). Saved in checkpoints (Codable), so a model always reads
/// ids the way it was trained. Ids are positions in `symbols`; never reorder, only append.
public struct PhonemeVocabulary: Sendable, Equatable, Codable {
    public static let pad = "<pad>", bos = "<bos>", sep = "<sep>", unknown = "<unk>"
    /// The word-boundary token.
    public static let wordBoundary = " "
    public static let primaryStress = "ˈ", secondaryStress = "ˌ"

    public let version: Int
    public let symbols: [String]
    private let index: [String: Int32]

    public init(version: Int, symbols: [String]) {
        precondition(Set(symbols).count == symbols.count, "vocabulary symbols must be unique")
        self.version = version
        self.symbols = symbols
        index = Dictionary(uniqueKeysWithValues: symbols.enumerated().map { ($1, Int32($0)) })
    }

    enum CodingKeys: String, CodingKey { case version, symbols }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(version: try container.decode(Int.self, forKey: .version),
                  symbols: try container.decode([String].self, forKey: .symbols))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(symbols, forKey: .symbols)
    }

    public var count: Int { symbols.count }
    public var padID: Int32 { index[Self.pad]! }
    public var bosID: Int32 { index[Self.bos]! }
    public var sepID: Int32 { index[Self.sep]! }
    public var unknownID: Int32 { index[Self.unknown]! }

    public func contains(_ symbol: String) -> Bool { index[symbol] != nil }

    /// Id of a token; `unknownID` for a symbol outside the vocabulary.
    public func id(of symbol: String) -> Int32 { index[symbol] ?? unknownID }

    public func ids(_ tokens: [String]) -> [Int32] { tokens.map(id(of:)) }

    public func tokens(_ ids: [Int32]) throws(TextError) -> [String] {
        var result: [String] = []
        for id in ids {
            guard id >= 0, Int(id) < symbols.count else { throw .unknownTokenID(id) }
            result.append(symbols[Int(id)])
        }
        return result
    }

    /// Version 1: the list below.
    public static let standard = PhonemeVocabulary(version: 1, symbols: specials + boundaryAndPunctuation
        + stressAndLength + englishPhonemes + ipaCharacters.filter { !(englishPhonemes + stressAndLength).contains($0) })

    static let specials = [pad, bos, sep, unknown]
    static let boundaryAndPunctuation = [wordBoundary, ",", ".", "!", "?", ";", ":", "\u{2014}", "\u{2026}", "\"", "(", ")"]
    static let stressAndLength = [primaryStress, secondaryStress, "ː"]
    /// Phonemes (stress removed) that espeak-ng 1.51's en-us, en-gb, en-gb-scotland, en-029 and
    /// en-gb-x-rp voices wrote for this project's design texts, most frequent first.
    static let englishPhonemes = [
        "n", "ɪ", "t", "s", "ɛ", "d", "k", "ə", "iː", "l", "m", "ɹ", "p", "z", "a", "f", "v", "aɪ", "ɒ",
        "b", "eɪ", "uː", "w", "j", "ŋ", "æ", "ð", "ʌ", "r", "ɐ", "əl", "ʃ", "ɡ", "dʒ", "ɑː", "tʃ", "ɔː",
        "θ", "əʊ", "oʊ", "h", "eː", "i", "ʒ", "ɜː", "oː", "ᵻ", "ɚ", "aʊ", "iə", "ʉː", "ʊ", "e", "ɜ", "ɔ",
        "ʉ", "aː", "ɑə", "ɑːɹ", "ɾ", "t̪", "ɔɪ", "eə", "ɔə", "oə", "ɔːɹ", "ʌʉ", "o", "aɪə", "oːɹ", "eʲ",
        "ʍ", "ʌɹ", "ɛɹ", "ʊə", "ʊɹ", "ʉɹ", "əɹ", "ɪɹ", "aɪɚ", "ʔ", "n̩", "ɑ", "u", "x", "ɬ", "ç",
    ]
    /// Single IPA letters and diacritics: any phoneme outside `englishPhonemes` is spelled with these.
    static let ipaCharacters: [String] = {
        let letters = "abcdefhijklmnopqrstuvwxyzæçðøħŋœɐɑɒɓɔɕɖɗɘəɚɛɜɝɞɟɠɡɢɣɤɥɦɧɨɪɫɬɭɮɯɰɱɲɳɴɵɶɸɹɺɻɽɾʀʁʂʃʄʈʉʊʋʌʍʎʏʐʑʒʔʕʘʙʛʜʝʟʡʢβθχᵻ"
        let modifiers = "ʰʲʷˠˤ˞ːˑ"
        let combining = ["\u{0303}", "\u{0329}", "\u{032A}", "\u{0325}", "\u{030A}", "\u{031E}", "\u{031D}", "\u{0361}"]
        return letters.map(String.init) + modifiers.map(String.init) + combining
    }()
}
