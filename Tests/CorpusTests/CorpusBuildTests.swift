import Audio
import Corpus
import Foundation
import Testing

/// Builds tiny corpora with the real engines (espeak-ng, flite, festival must be installed).
@Suite(.serialized) struct CorpusBuildTests {
    @Test func sameSeedGivesIdenticalManifest() throws {
        let reference = try TinyCorpusFixture.reference.get()
        let again = TinyCorpusFixture.temporaryFolder("again")
        defer { try? FileManager.default.removeItem(at: again) }
        let summary = try CorpusBuilder.build(TinyCorpusFixture.options(again))
        let first = try Data(contentsOf: reference.appendingPathComponent("manifest.jsonl"))
        let second = try Data(contentsOf: again.appendingPathComponent("manifest.jsonl"))
        #expect(first == second)
        #expect(summary == (try TinyCorpusFixture.referenceStore().summary))
        for file in ["audio.pcm16", "mel.f16", "task-a.json", "task-b.json", "mel-stats.json"] {
            #expect(try Data(contentsOf: reference.appendingPathComponent(file)) == Data(contentsOf: again.appendingPathComponent(file)),
                    "\(file) differs between two builds with one seed")
        }
    }

    @Test func anotherSeedGivesAnotherSplit() throws {
        let store = try TinyCorpusFixture.referenceStore()
        let pool = try store.sentencePool()
        let other = try SentencePool.build(source: FortuneSource(), seed: TinyCorpusFixture.seed + 1)
        #expect(pool.count == other.count)
        #expect(pool.test != other.test)
    }

    @Test func interruptedBuildResumesToTheSameCorpus() throws {
        let folder = TinyCorpusFixture.temporaryFolder("resume")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: CorpusError.interrupted(completedShards: 2, totalShards: 6)) {
            try CorpusBuilder.build(TinyCorpusFixture.options(folder, stopAfterShards: 2))
        }
        // Two finished shards are on disk, and no store yet.
        let shards = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("shards").path)
        #expect(shards.filter { $0.hasSuffix(".jsonl") }.count == 2)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("corpus.json").path))
        // A torn write from a killed run is ignored and cleaned up.
        try Data("garbage".utf8).write(to: folder.appendingPathComponent("shards/.shard-00003.jsonl.tmp-99999"))
        #expect(throws: CorpusError.interrupted(completedShards: 3, totalShards: 6)) {
            try CorpusBuilder.build(TinyCorpusFixture.options(folder, stopAfterShards: 1))
        }
        try CorpusBuilder.build(TinyCorpusFixture.options(folder))
        let reference = try TinyCorpusFixture.reference.get()
        for file in ["manifest.jsonl", "audio.pcm16", "mel.f16", "corpus.json"] {
            #expect(try Data(contentsOf: reference.appendingPathComponent(file)) == Data(contentsOf: folder.appendingPathComponent(file)),
                    "\(file) of the resumed build differs from the uninterrupted one")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("shards").path))
    }

    @Test func resumingWithAnotherSeedIsRefused() throws {
        let reference = try TinyCorpusFixture.reference.get()
        #expect {
            try CorpusBuilder.build(TinyCorpusFixture.options(reference, seed: TinyCorpusFixture.seed + 1))
        } throws: { error in
            guard case .settingsMismatch = error as? CorpusError else { return false }
            return true
        }
    }

    @Test func missingEngineIsReportedAndNothingIsBuilt() throws {
        let folder = TinyCorpusFixture.temporaryFolder("missing")
        defer { try? FileManager.default.removeItem(at: folder) }
        var tools = EngineTools.fromEnvironment()
        tools.festival = "/nonexistent/festival"
        tools.flite = "/nonexistent/flite"
        do {
            try CorpusBuilder.build(TinyCorpusFixture.options(folder, tools: tools))
            Issue.record("the build should have failed")
        } catch let error as CorpusError {
            guard case .missingTools(let missing) = error else { Issue.record("wrong error \(error)"); return }
            #expect(Set(missing.map(\.what)) == ["festival", "flite"])
            let message = error.description
            #expect(message.contains("festival not found (looked for /nonexistent/festival): apt-get install festival festvox-kallpc16k festvox-kdlpc16k"))
            #expect(message.contains("flite not found"))
            #expect(message.contains("install them with: apt-get install festival festvox-kallpc16k festvox-kdlpc16k flite"))
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    @Test func missingFestivalVoiceNamesItsPackage() {
        var tools = EngineTools.fromEnvironment()
        tools.festivalVoiceRoot = "/nonexistent/voices"
        let missing = tools.missing(for: CorpusSize.tiny.voices)
        #expect(missing.map(\.packages) == [["festvox-kallpc16k"], ["festvox-kdlpc16k"]])
    }

    @Test func missingFortunesAreReported() {
        #expect(FortuneSource(directory: "/nonexistent/fortunes").check()?.packages == ["fortunes", "fortunes-min"])
    }
}
