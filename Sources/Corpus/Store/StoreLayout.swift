import Foundation

/// File names inside a corpus folder.
///
///   corpus.json        CorpusSummary (written last: the build is complete when it exists)
///   manifest.jsonl     one Utterance per line, in id order (train, validation, test)
///   audio.pcm16        all utterances' 16 kHz audio, Int16 little-endian, concatenated
///   mel.f16            all utterances' log-mel, fp16 little-endian, (T, 80) each, concatenated
///   voices.json        [Voice]: id, engine, settings, seen
///   mel-stats.json     Audio.MelStatistics over the train split (per-bin mean / std)
///   sentences.json     SentencePool: every usable sentence per split
///   task-a.json, task-b.json   the zero-shot test sets
///   plan.json          the build plan's fingerprint, checked on resume
///   shards/            work in progress (one finished shard = .audio + .mel + .jsonl); removed at the end
public struct StoreLayout: Sendable {
    public var root: URL

    public init(root: URL) { self.root = root }

    public var summary: URL { root.appendingPathComponent("corpus.json") }
    public var manifest: URL { root.appendingPathComponent("manifest.jsonl") }
    public var audio: URL { root.appendingPathComponent("audio.pcm16") }
    public var mel: URL { root.appendingPathComponent("mel.f16") }
    public var voices: URL { root.appendingPathComponent("voices.json") }
    public var melStatistics: URL { root.appendingPathComponent("mel-stats.json") }
    public var sentences: URL { root.appendingPathComponent("sentences.json") }
    public var taskA: URL { root.appendingPathComponent("task-a.json") }
    public var taskB: URL { root.appendingPathComponent("task-b.json") }
    public var plan: URL { root.appendingPathComponent("plan.json") }
    public var shards: URL { root.appendingPathComponent("shards") }
    public var scratch: URL { root.appendingPathComponent(".scratch") }

    public func shardFile(_ index: Int, _ kind: String) -> URL {
        shards.appendingPathComponent(String(format: "shard-%05d.%@", index, kind))
    }
}
