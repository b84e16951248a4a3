import Testing
import Text
@testable import ARDM

/// Texts reach the model in the corpus's punctuation: untrained marks replaced, a final mark
/// ensured, corpus-style sentences untouched.
struct CorpusPunctuationTests {
    static let phonemizer = Phonemizer()

    static func adapted(_ text: String) throws -> [String] { CorpusPunctuation.adapt(try phonemizer.tokens(text)) }

    @Test func corpusSentencesAreUnchanged() throws {
        for text in ["Hello, world!", "Is it raining?", "She said \"go home.\"", "Wait; then: look."] {
            #expect(try Self.adapted(text) == Self.phonemizer.tokens(text), "\(text)")
        }
    }

    @Test func untrainedMarksBecomeTrainedOnes() throws {
        let dashed = try Self.adapted("Well — maybe later.")
        #expect(!dashed.contains("\u{2014}"))
        #expect(try dashed == Self.phonemizer.tokens("Well, maybe later."))
        #expect(try Self.adapted("Wait... then go.") == Self.phonemizer.tokens("Wait. then go."))
        #expect(try Self.adapted("Tea (with milk) please.") == Self.phonemizer.tokens("Tea, with milk, please."))
        // A leading mark is dropped rather than starting the text with a comma.
        #expect(try Self.adapted("(Quietly) go.") == Self.phonemizer.tokens("Quietly, go."))
    }

    @Test func aTextGetsAFinalMark() throws {
        #expect(try Self.adapted("good morning") == Self.phonemizer.tokens("good morning."))
        #expect(try Self.adapted("good morning,") == Self.phonemizer.tokens("good morning."))
        #expect(try Self.adapted("She said \"go home\"") == Self.phonemizer.tokens("She said \"go home.\""))
        #expect(try Self.adapted("Really?") == Self.phonemizer.tokens("Really?"))
    }
}
