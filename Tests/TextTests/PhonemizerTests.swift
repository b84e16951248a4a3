import Foundation
import Testing
@testable import Text

@Suite("Phonemizer (espeak-ng)")
struct PhonemizerTests {
    let phonemizer = Phonemizer()

    @Test func helloWorldKeepsStressBoundariesAndPunctuation() throws {
        let tokens = try phonemizer.tokens("Hello, world!")
        #expect(tokens == ["h", "ə", "l", "ˈ", "oʊ", ",", " ", "w", "ˈ", "ɜː", "l", "d", "!"])
    }

    @Test func everyTokenOfARichSentenceIsInTheVocabulary() throws {
        let text = "It's 3:45 pm; Dr. Smith paid $12.50 for the church judge's boy (really?) \"Yes\" — he said..."
        let tokens = try phonemizer.tokens(text)
        #expect(!tokens.contains(PhonemeVocabulary.unknown), "\(tokens)")
        #expect(tokens.filter { $0 == "(" || $0 == ")" || $0 == "\"" || $0 == "\u{2014}" || $0 == "\u{2026}" }.count == 6)
        #expect(tokens.contains(";") && tokens.contains("?"))
        // "3:45" and "12.50" are read as numbers, not split at their inner punctuation.
        #expect(!tokens.contains(":"))
        let ids = phonemizer.vocabulary.ids(tokens)
        #expect(try phonemizer.vocabulary.tokens(ids) == tokens)
    }

    @Test func wordBoundariesSeparateWordsAndNeverRepeat() throws {
        let tokens = try phonemizer.tokens("  one   two\tthree \n ")
        #expect(tokens.filter { $0 == " " }.count == 2)
        #expect(tokens.first != " " && tokens.last != " ")
    }

    @Test func otherLanguagesWork() throws {
        let tokens = try Phonemizer(language: "de").tokens("Guten Tag")
        #expect(tokens.count > 5 && !tokens.contains(PhonemeVocabulary.unknown))
    }

    @Test func emptyAndBlankTextIsEmpty() {
        for text in ["", "   ", "\n\t "] {
            #expect(throws: TextError.empty) { try phonemizer.tokens(text) }
        }
    }

    @Test func controlOnlyTextIsRejected() {
        #expect(throws: TextError.onlyControlCharacters) { try phonemizer.tokens("\u{0001}\u{0007}\u{200B}\u{001B}") }
    }

    @Test func controlCharactersInsideTextAreStripped() throws {
        #expect(try phonemizer.tokens("Hel\u{0000}lo\u{0007}") == phonemizer.tokens("Hello"))
    }

    @Test func overLongTextIsRejected() {
        let text = String(repeating: "word ", count: 500)
        #expect(throws: TextError.tooLong(characters: 2499, limit: 2000)) { try phonemizer.tokens(text) }
    }

    @Test func punctuationOnlyIsNothingToSpeak() {
        #expect(throws: TextError.nothingToSpeak) { try phonemizer.tokens("?!... —") }
    }

    @Test func unknownLanguageIsATypedError() {
        #expect(throws: TextError.unknownLanguage("xx-nonexistent")) {
            try Phonemizer(language: "xx-nonexistent").tokens("hello")
        }
    }

    /// espeak-ng is not thread-safe; concurrent callers must still get identical answers.
    @Test func concurrentCallsAreSerialised() async throws {
        let expected = try phonemizer.tokens("The quick brown fox jumps over the lazy dog.")
        try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<16 {
                group.addTask { try Phonemizer().tokens("The quick brown fox jumps over the lazy dog.") }
            }
            for try await tokens in group { #expect(tokens == expected) }
        }
    }

    @Test func dataPathIsFound() {
        #expect(EspeakEngine.findDataPath() != nil)
        #expect(EspeakEngine.dataPathCandidates(environment: ["ESPEAK_DATA_PATH": "/x"]).prefix(2) == ["/x", "/x/espeak-ng-data"])
    }
}

@Suite("Text normalisation and vocabulary")
struct TextNormalizationTests {
    @Test func normalisationMapsTypographyAndCollapsesWhitespace() throws {
        let normalizer = TextNormalizer()
        #expect(try normalizer.normalize("  “Quoted”  it’s\u{00A0}fine – ok...  ") == "\"Quoted\" it's fine \u{2014} ok\u{2026}")
        #expect(try normalizer.normalize("a - b") == "a \u{2014} b")
        #expect(try normalizer.normalize("well-known") == "well-known")
    }

    @Test func splitterKeepsInnerPunctuation() {
        let segments = PunctuationSplitter.split("\"Hi,\" she said: 3:45, e.g. (ok)")
        #expect(segments == [
            .punctuation("\"", spaceBefore: false), .words("Hi", spaceBefore: false),
            .punctuation(",", spaceBefore: false), .punctuation("\"", spaceBefore: false),
            .words("she said", spaceBefore: true), .punctuation(":", spaceBefore: false),
            .words("3:45", spaceBefore: true), .punctuation(",", spaceBefore: false),
            .words("e.g", spaceBefore: true), .punctuation(".", spaceBefore: false),
            .punctuation("(", spaceBefore: true), .words("ok", spaceBefore: false),
            .punctuation(")", spaceBefore: false),
        ])
    }

    @Test func vocabularyHasFixedSpecialsAndRoundTripsThroughJSON() throws {
        let vocabulary = PhonemeVocabulary.standard
        #expect(vocabulary.padID == 0 && vocabulary.bosID == 1 && vocabulary.sepID == 2 && vocabulary.unknownID == 3)
        #expect(vocabulary.id(of: " ") == 4)
        #expect(vocabulary.id(of: "not-a-symbol") == vocabulary.unknownID)
        let decoded = try JSONDecoder().decode(PhonemeVocabulary.self, from: JSONEncoder().encode(vocabulary))
        #expect(decoded == vocabulary)
        #expect(throws: TextError.unknownTokenID(Int32(vocabulary.count))) { try vocabulary.tokens([Int32(vocabulary.count)]) }
    }

    /// The committed list must not change silently: a checkpoint's ids depend on it.
    @Test func standardVocabularyIsStable() {
        let vocabulary = PhonemeVocabulary.standard
        print("standard vocabulary: \(vocabulary.count) symbols")
        #expect(vocabulary.version == 1)
        #expect(vocabulary.count == 179)
        #expect(vocabulary.symbols[19] == "n" && vocabulary.id(of: "oʊ") == 58)
    }
}
