import Audio
import Foundation
import NN
import Text

/// Joins the finished shards into the store's single files (StoreLayout), in plan order, with
/// global offsets; accumulates train-split mel statistics on the way; then writes voices,
/// sentences, test sets and, last, corpus.json, and removes the shards.
struct StoreAssembler {
    let plan: BuildPlan
    let pool: SentencePool
    let voices: [Voice]
    let layout: StoreLayout
    let options: CorpusBuildOptions

    func assemble() throws -> CorpusSummary {
        let melBins = SpectralConfiguration.standard.melCount
        let shards = ShardStore(layout: layout, melBins: melBins)
        let audioTemp = layout.root.appendingPathComponent(".audio.pcm16.partial")
        let melTemp = layout.root.appendingPathComponent(".mel.f16.partial")
        _ = FileManager.default.createFile(atPath: audioTemp.path, contents: nil)
        _ = FileManager.default.createFile(atPath: melTemp.path, contents: nil)
        let audioOut = try FileHandle(forWritingTo: audioTemp)
        let melOut = try FileHandle(forWritingTo: melTemp)
        var audioOffset = 0, melOffset = 0
        var records: [Utterance] = []
        var statistics = MelStatisticsAccumulator(melCount: melBins)
        for index in 0..<plan.shardCount {
            guard var shardRecords = shards.completeRecords(index, expectedIDs: plan.shard(index).map(\.id)) else {
                throw CorpusError.corruptStore(path: layout.shardFile(index, "jsonl").path, reason: "shard missing or incomplete")
            }
            let audio = try Data(contentsOf: layout.shardFile(index, "audio"))
            let mel = try Data(contentsOf: layout.shardFile(index, "mel"))
            for i in shardRecords.indices {
                if shardRecords[i].split == .train {
                    let start = shardRecords[i].melOffset, count = shardRecords[i].frameCount * melBins
                    statistics.add(LogMel(frameCount: shardRecords[i].frameCount, melCount: melBins,
                                          values: MelCoding.decode(mel, byteOffset: start, count: count)))
                }
                shardRecords[i].audioOffset += audioOffset
                shardRecords[i].melOffset += melOffset
            }
            try audioOut.write(contentsOf: audio)
            try melOut.write(contentsOf: mel)
            audioOffset += audio.count
            melOffset += mel.count
            records += shardRecords
        }
        for handle in [audioOut, melOut] {
            try handle.synchronize()
            try handle.close()
        }
        let encoder = JSONEncoder.corpus
        let manifest = Data(try records.map { String(decoding: try encoder.encode($0), as: UTF8.self) + "\n" }.joined().utf8)
        try FileManager.default.moveItemReplacing(audioTemp, to: layout.audio)
        try FileManager.default.moveItemReplacing(melTemp, to: layout.mel)
        try writeAtomically(manifest, to: layout.manifest)
        try writeAtomically(try JSONEncoder.corpusPretty.encode(voices), to: layout.voices)
        try writeAtomically(try JSONEncoder.corpusPretty.encode(statistics.statistics()), to: layout.melStatistics)
        try writeAtomically(try JSONEncoder.corpusPretty.encode(pool), to: layout.sentences)

        let tests = TestSetBuilder(utterances: records, voices: voices, pool: pool, seed: options.seed,
                                   phonemizer: Phonemizer(language: CorpusBuilder.phonemizerLanguage))
        let taskA = tests.taskA(count: options.size.taskAItems)
        let taskB = tests.taskB(count: options.size.taskBItems)
        try writeAtomically(try JSONEncoder.corpusPretty.encode(taskA), to: layout.taskA)
        try writeAtomically(try JSONEncoder.corpusPretty.encode(taskB), to: layout.taskB)

        let summary = makeSummary(records: records, manifest: manifest, taskA: taskA.count, taskB: taskB.count)
        try writeAtomically(try JSONEncoder.corpusPretty.encode(summary), to: layout.summary)
        try? FileManager.default.removeItem(at: layout.shards)
        try? FileManager.default.removeItem(at: layout.plan)
        return summary
    }

    private func makeSummary(records: [Utterance], manifest: Data, taskA: Int, taskB: Int) -> CorpusSummary {
        var splits: [String: CorpusSummary.SplitSummary] = [:]
        for split in CorpusSplit.allCases {
            let inSplit = records.filter { $0.split == split }
            splits[split.rawValue] = CorpusSummary.SplitSummary(
                utterances: inSplit.count, hours: inSplit.map(\.duration).reduce(0, +) / 3600,
                voices: Set(inSplit.map(\.voice)).count, utterancesWithTimings: inSplit.filter { $0.timings != nil }.count)
        }
        let byEngine = Dictionary(grouping: voices, by: \.engine).reduce(into: [String: Int]()) { $0[$1.key.rawValue] = $1.value.count }
        return CorpusSummary(
            formatVersion: CorpusSummary.currentFormatVersion, size: options.size.name, seed: options.seed,
            sampleRate: internalSampleRate, spectral: .standard, melBins: SpectralConfiguration.standard.melCount,
            trimmer: .standard, loudness: .standard, phonemizerLanguage: CorpusBuilder.phonemizerLanguage,
            vocabularyVersion: PhonemeVocabulary.standard.version, splits: splits,
            voices: .init(total: voices.count, seen: voices.filter(\.seen).count, unseen: voices.filter { !$0.seen }.count, byEngine: byEngine),
            sentences: [CorpusSplit.train.rawValue: pool.train.count, CorpusSplit.validation.rawValue: pool.validation.count,
                        CorpusSplit.test.rawValue: pool.test.count],
            engineVersions: options.tools.versions(for: Set(voices.map(\.engine))),
            taskAItems: taskA, taskBItems: taskB, manifestSHA256: SHA256.hex(manifest))
    }
}

extension FileManager {
    /// rename(2) over `destination` (same folder, so atomic), then fsync the folder.
    func moveItemReplacing(_ source: URL, to destination: URL) throws {
        guard rename(source.path, destination.path) == 0 else {
            throw CorpusError.corruptStore(path: destination.path, reason: "rename failed: \(String(cString: strerror(errno)))")
        }
        let fd = open(destination.deletingLastPathComponent().path, O_RDONLY)
        if fd >= 0 { fsync(fd); close(fd) }
    }
}
