@testable import Corpus
import Foundation
import NN
import Testing

struct TextAndVoiceTests {
    @Test func sha256KnownVectors() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(SHA256.hex(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func filterKeepsProseAndRejectsTheRest() {
        let filter = SentenceFilter()
        #expect(filter.accepts("The world wants to be deceived."))
        #expect(filter.accepts("\"What do you think?\""))
        #expect(!filter.accepts("Too short."))
        #expect(!filter.accepts("See http://example.com for more details today."))
        #expect(!filter.accepts("In 1984 the book was very popular indeed."))
        #expect(!filter.accepts("The NASA budget was cut again this year."))
        #expect(!filter.accepts("Q: How many engineers does it take?"))
        #expect(!filter.accepts("x = y + 1; return x; is what the code said."))
        #expect(!filter.accepts("lower case start is not a sentence here."))
        #expect(!filter.accepts(String(repeating: "word ", count: 30) + "end."))
    }

    @Test func splitterAndPoolAreDeterministicAndDisjoint() throws {
        let entries = (0..<40).map { "Sentence number \(["one", "two", "three", "four", "five", "six", "seven", "eight"][$0 % 8]) is here \(String(repeating: "again ", count: $0 / 8))now. Another one follows it right here!" }
        #expect(SentenceSplitter.sentences(in: "Hello there my friend. How are you today? fine.") == ["Hello there my friend.", "How are you today? fine."])
        let a = try SentencePool.build(entries: entries, seed: 3)
        let b = try SentencePool.build(entries: entries.reversed(), seed: 3)
        #expect(a == b)
        #expect(Set(a.train).isDisjoint(with: a.test) && Set(a.validation).isDisjoint(with: a.test))
        #expect(a.count == 41)  // 40 distinct numbered sentences + "Another one ..." once
    }

    @Test func catalogHasEnoughVoicesFromEveryEngine() {
        let voices = VoiceCatalog.all
        #expect(voices.count >= 100)
        #expect(Set(voices.map(\.id)).count == voices.count)
        let unseen = voices.filter { !$0.seen }
        #expect(unseen.count >= 38)
        #expect(Set(unseen.map(\.engine)) == Set(Engine.allCases))
        #expect(Set(voices.filter(\.seen).map(\.engine)) == Set(Engine.allCases))
        #expect(VoiceCatalog.voice(id: "flite-slt-d100")?.seen == true)
    }

    @Test func fortuneEntriesDropAttributions() {
        let text = "First line of a\n  fortune here.\n\t\t-- Somebody Famous\n%\nSecond one.\n%\n"
        #expect(FortuneSource.entries(in: text) == ["First line of a fortune here.", "Second one."])
    }

    @Test func hardSentencesAreLongWithRepetitions() {
        var rng = RNG(seed: 5)
        let sentences = ["The cat sat on the mat, and the dog barked.", "A stitch in time saves nine.", "Look before you leap, my friend."]
        for _ in 0..<20 {
            let made = HardSentenceMaker.make(sentences: sentences, rng: &rng)
            #expect(made.text.split(separator: " ").count >= HardSentenceMaker.minimumWords)
            #expect(made.repetitions.count >= HardSentenceMaker.operations)
            #expect(made.sources.allSatisfy(sentences.contains))
        }
    }
}

@Suite struct AddedVoicesTests {
    /// Added voices are new seen espeak-ng timbres in the seen accents, none of them a catalogue voice.
    @Test func addedVoicesAreNewSeenEspeakVoices() {
        let added = VoiceCatalog.added
        #expect(added.count == VoiceCatalog.addedEspeakVariants.count)
        #expect(Set(added.map(\.id)).count == added.count)
        #expect(Set(added.map(\.id)).isDisjoint(with: VoiceCatalog.all.map(\.id)))
        #expect(added.allSatisfy { $0.seen && $0.engine == .espeak && !$0.settings.engineVoice.hasPrefix("en-gb-x-gbcwmd+") })
        let catalogueVariants = Set(VoiceCatalog.espeakVariants)
        #expect(added.allSatisfy { !catalogueVariants.contains(String($0.settings.engineVoice.split(separator: "+")[1])) })
        #expect(VoiceCatalog.voice(id: added[0].id) == added[0])
    }

    /// A size with added voices plans everything of the size without them first, unchanged, then
    /// only train utterances of the added voices, numbered on.
    @Test func addedVoicesAreAppendedToAnUnchangedPlan() throws {
        let pool = try TinyCorpusFixture.referenceStore().sentencePool()
        var wider = CorpusSize.tiny
        wider.addedVoiceIDs = Array(VoiceCatalog.added.prefix(3).map(\.id))
        wider.addedTrainUtterances = 7
        let plain = try BuildPlan.make(pool: pool, size: .tiny, seed: 1).utterances
        let plan = try BuildPlan.make(pool: pool, size: wider, seed: 1).utterances
        #expect(plan.count == plain.count + 7)
        #expect(Array(plan.prefix(plain.count)) == plain)
        let extra = plan.suffix(7)
        #expect(extra.allSatisfy { $0.split == .train && wider.addedVoiceIDs.contains($0.voiceID) })
        let trainCount = plain.filter { $0.split == .train }.count
        #expect(extra.map(\.id) == (trainCount..<(trainCount + 7)).map { String(format: "train-%06d", $0) })
        #expect(Set(extra.map(\.voiceID)).count == 3)
    }
}
