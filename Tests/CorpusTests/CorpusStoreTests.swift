import Audio
import Corpus
import Foundation
import Testing

/// The reader API and the store's invariants, on the shared tiny corpus.
struct CorpusStoreTests {
    @Test func splitsShareNoSentence() throws {
        let store = try TinyCorpusFixture.referenceStore()
        var textsBySplit: [CorpusSplit: Set<String>] = [:]
        for u in store.utterances { textsBySplit[u.split, default: []].insert(u.text) }
        #expect(textsBySplit[.train]!.isDisjoint(with: textsBySplit[.validation]!))
        #expect(textsBySplit[.train]!.isDisjoint(with: textsBySplit[.test]!))
        #expect(textsBySplit[.validation]!.isDisjoint(with: textsBySplit[.test]!))
        let pool = try store.sentencePool()
        #expect(Set(pool.train).isDisjoint(with: pool.test) && Set(pool.train).isDisjoint(with: pool.validation))
        #expect(Set(pool.validation).isDisjoint(with: pool.test))
        #expect(textsBySplit[.test]!.isSubset(of: Set(pool.test)))
    }

    @Test func unseenVoicesOnlyInTest() throws {
        let store = try TinyCorpusFixture.referenceStore()
        let unseen = Set(store.voices.filter { !$0.seen }.map(\.id))
        #expect(!unseen.isEmpty)
        for u in store.utterances where u.split != .test { #expect(!unseen.contains(u.voice), "\(u.id) uses unseen voice \(u.voice)") }
        #expect(store.utterances(split: .train, seenVoices: false).isEmpty)
        #expect(Set(store.utterances(split: .test, seenVoices: false).map(\.voice)) == unseen)
    }

    @Test func readerRoundTrip() throws {
        let store = try TinyCorpusFixture.referenceStore()
        #expect(store.utterances.count == store.summary.splits.values.map(\.utterances).reduce(0, +))
        let extractor = LogMelExtractor()
        for u in store.utterances {
            try store.verify(u)
            let mel = try store.mel(for: u), audio = try store.audio(for: u)
            #expect(mel.count == u.frameCount * 80)
            #expect(audio.count == u.sampleCount)
            #expect(abs(Double(audio.count) / 16_000 - u.duration) < 1e-9)
            #expect(u.phonemeIDs.count == u.phonemes.count && !u.phonemes.isEmpty)
            // The stored mel is the mel of the stored audio, to fp16 precision.
            let recomputed = extractor(audio)
            #expect(recomputed.frameCount == u.frameCount)
            let worst = zip(recomputed.values, mel).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 0.01, "mel of \(u.id) differs from its audio's by \(worst)")
            if let timings = u.timings {
                #expect(timings.allSatisfy { $0.start >= 0 && $0.end <= u.duration + 1e-9 && $0.start < $0.end })
            }
        }
        let train = store.utterances(split: .train)
        #expect(!train.isEmpty && train.allSatisfy { $0.split == .train })
        let voice = train[0].voice
        #expect(store.utterances(voice: voice).allSatisfy { $0.voice == voice })
        #expect(store.utterance(id: train[0].id) == train[0])
        #expect(try store.melStatistics().mean.count == 80)
        // Festival and flite give phone timings, espeak-ng through its CLI does not.
        #expect(store.utterances.filter { $0.engine != .espeak }.allSatisfy { $0.timings != nil })
    }

    @Test func testSetsUseUnseenVoicesAndTestText() throws {
        let store = try TinyCorpusFixture.referenceStore()
        let unseen = Set(store.voices.filter { !$0.seen }.map(\.id))
        let testText = Set(try store.sentencePool().test)
        let taskA = try store.taskA(), taskB = try store.taskB()
        #expect(taskA.count == CorpusSize.tiny.taskAItems && taskB.count == CorpusSize.tiny.taskBItems)
        #expect(Set(taskA.map(\.prompt.voice)).count == taskA.count)
        for item in taskA {
            #expect(unseen.contains(item.prompt.voice))
            #expect(testText.contains(item.targetText) && item.targetText != item.prompt.text)
            #expect(store.utterance(id: item.referenceUtteranceID ?? "")?.voice == item.prompt.voice)
        }
        for item in taskB {
            #expect(unseen.contains(item.prompt.voice))
            #expect(item.targetText.split(separator: " ").count >= 30)
            #expect(item.sourceSentences.allSatisfy(testText.contains))
            #expect(!item.repetitions.isEmpty && item.targetPhonemeIDs.count == item.targetPhonemes.count)
        }
    }

    @Test func missingStoreIsAClearError() {
        #expect {
            _ = try CorpusStore(path: "/nonexistent/corpus")
        } throws: { error in
            (error as? CorpusError)?.description.contains("vgpo-train corpus") == true
        }
    }
}
