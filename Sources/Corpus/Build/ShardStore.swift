import Foundation
import NN

/// Finished shards on disk: `shard-N.audio`, `shard-N.mel` and, written last, `shard-N.jsonl`
/// (its records, offsets relative to the shard). Each file is written atomically, so a shard
/// whose .jsonl exists and whose byte counts add up is complete; anything else is redone.
struct ShardStore {
    var layout: StoreLayout
    var melBins: Int

    func write(_ index: Int, _ rendered: [RenderedUtterance]) throws {
        var audio: [UInt8] = [], mel: [UInt8] = []
        var lines: [String] = []
        let encoder = JSONEncoder.corpus
        for var item in rendered {
            item.record.audioOffset = audio.count
            item.record.melOffset = mel.count
            audio += item.audioBytes
            mel += item.melBytes
            lines.append(String(decoding: try encoder.encode(item.record), as: UTF8.self))
        }
        try writeAtomically(Data(audio), to: layout.shardFile(index, "audio"))
        try writeAtomically(Data(mel), to: layout.shardFile(index, "mel"))
        try writeAtomically(Data((lines.joined(separator: "\n") + "\n").utf8), to: layout.shardFile(index, "jsonl"))
    }

    /// The shard's records when it is complete and consistent with `expectedIDs`; nil otherwise.
    func completeRecords(_ index: Int, expectedIDs: [String]) -> [Utterance]? {
        guard let data = FileManager.default.contents(atPath: layout.shardFile(index, "jsonl").path),
              let records = try? Utterance.decodeLines(data), records.map(\.id) == expectedIDs else { return nil }
        let audioBytes = records.map(\.audioByteCount).reduce(0, +)
        let melBytes = records.map { $0.melByteCount(melBins: melBins) }.reduce(0, +)
        guard fileSize(layout.shardFile(index, "audio")) == audioBytes,
              fileSize(layout.shardFile(index, "mel")) == melBytes else { return nil }
        return records
    }

    private func fileSize(_ url: URL) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int
    }
}

extension JSONEncoder {
    /// Sorted keys and no pretty printing: one line per record, byte-identical across builds.
    static var corpus: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Sorted keys, indented: the small JSON files people read.
    static var corpusPretty: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }
}

extension Utterance {
    /// Records of a JSON-lines file.
    static func decodeLines(_ data: Data) throws -> [Utterance] {
        let decoder = JSONDecoder()
        return try data.split(separator: UInt8(ascii: "\n")).map { try decoder.decode(Utterance.self, from: Data($0)) }
    }
}
