import Audio
import Foundation
import NN
import Text

/// Builds a corpus folder (StoreLayout): check tools -> sentence pool -> plan -> shards in
/// parallel (resuming finished ones) -> assemble the store -> statistics, test sets, summary.
public enum CorpusBuilder {
    public static let phonemizerLanguage = "en-us"

    @discardableResult
    public static func build(_ options: CorpusBuildOptions) throws -> CorpusSummary {
        guard options.jobs >= 1 else { throw CorpusError.invalidOption("--jobs must be at least 1") }
        let voices = options.size.voices
        // Check everything before writing anything: a missing engine builds nothing.
        let missing = options.tools.missing(for: voices) + [options.fortunes.check()].compactMap { $0 }
        guard missing.isEmpty else { throw CorpusError.missingTools(missing) }

        let layout = StoreLayout(root: options.output)
        if let existing = try? JSONDecoder().decode(CorpusSummary.self, from: Data(contentsOf: layout.summary)) {
            guard existing.size == options.size.name, existing.seed == options.seed else {
                throw CorpusError.settingsMismatch(path: layout.root.path,
                                                   reason: "size \(existing.size), seed \(existing.seed)")
            }
            return existing
        }

        let pool = try SentencePool.build(source: options.fortunes, seed: options.seed)
        let plan = try BuildPlan.make(pool: pool, size: options.size, seed: options.seed,
                                      phonemizer: Phonemizer(language: phonemizerLanguage))
        try FileManager.default.createDirectory(at: layout.shards, withIntermediateDirectories: true)
        let record = PlanRecord(size: options.size.name, seed: options.seed, utterances: plan.utterances.count,
                                shardSize: plan.shardSize, fingerprint: plan.fingerprint,
                                trimmer: .standard, loudness: .standard)
        if let data = try? Data(contentsOf: layout.plan) {
            let previous = try? JSONDecoder().decode(PlanRecord.self, from: data)
            guard previous == record else {
                throw CorpusError.settingsMismatch(path: layout.root.path, reason: "an unfinished build with another plan")
            }
        } else {
            try writeAtomically(try JSONEncoder.corpusPretty.encode(record), to: layout.plan)
        }

        try ShardRunner(plan: plan, voices: voices, layout: layout, options: options).run()
        return try StoreAssembler(plan: plan, pool: pool, voices: voices, layout: layout, options: options).assemble()
    }
}
