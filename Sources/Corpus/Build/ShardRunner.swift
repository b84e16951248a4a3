import Audio
import Foundation

/// Synthesises the plan's unfinished shards with `jobs` concurrent workers. Each worker takes
/// the next pending shard, renders its utterances one by one (one engine process at a time)
/// in its own scratch folder, and writes the shard atomically.
struct ShardRunner {
    let plan: BuildPlan
    let voices: [Voice]
    let layout: StoreLayout
    let options: CorpusBuildOptions

    func run() throws {
        let melBins = SpectralConfiguration.standard.melCount
        removeTornWrites()
        let shards = ShardStore(layout: layout, melBins: melBins)
        let pending = (0..<plan.shardCount).filter { index in
            shards.completeRecords(index, expectedIDs: plan.shard(index).map(\.id)) == nil
        }
        let finishedUtterances = plan.utterances.count - pending.map { plan.shard($0).count }.reduce(0, +)
        let progress = BuildProgress(total: plan.utterances.count, alreadyDone: finishedUtterances, quiet: options.quiet)
        let voiceByID = Dictionary(uniqueKeysWithValues: voices.map { ($0.id, $0) })
        let lock = NSLock()
        var nextPending = 0
        var firstError: Error?

        DispatchQueue.concurrentPerform(iterations: options.jobs) { worker in
            let scratch = layout.scratch.appendingPathComponent("worker-\(worker)")
            let renderer = UtteranceRenderer(synthesizer: EngineSynthesizer(tools: options.tools), trimmer: .standard,
                                             loudness: .standard, extractor: LogMelExtractor())
            do {
                try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            } catch {
                lock.withLock { firstError = firstError ?? error }
                return
            }
            while true {
                let shardIndex: Int? = lock.withLock {
                    guard firstError == nil, nextPending < pending.count else { return nil }
                    if let limit = options.stopAfterShards, nextPending >= limit { return nil }
                    defer { nextPending += 1 }
                    return pending[nextPending]
                }
                guard let shardIndex else { return }
                do {
                    var rendered: [RenderedUtterance] = []
                    for planned in plan.shard(shardIndex) {
                        rendered.append(try renderer.render(planned, voice: voiceByID[planned.voiceID]!, scratch: scratch))
                    }
                    try shards.write(shardIndex, rendered)
                    progress.add(utterances: rendered.count, seconds: rendered.map(\.record.duration).reduce(0, +))
                } catch {
                    lock.withLock { firstError = firstError ?? error }
                }
            }
        }
        progress.finish()
        try? FileManager.default.removeItem(at: layout.scratch)
        if let firstError { throw firstError }
        if nextPending < pending.count {
            throw CorpusError.interrupted(completedShards: plan.shardCount - pending.count + nextPending, totalShards: plan.shardCount)
        }
    }

    /// A build killed mid-write leaves writeAtomically's hidden temporary files; they are never
    /// read (only renamed files count), so they are simply deleted.
    private func removeTornWrites() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: layout.shards.path)) ?? []
        for name in names where name.hasPrefix(".") && name.contains(".tmp-") {
            try? FileManager.default.removeItem(at: layout.shards.appendingPathComponent(name))
        }
    }
}
