import Audio
import Foundation

/// Everything a corpus build depends on. Two builds with equal options on one machine write
/// byte-identical manifests (and binary files).
public struct CorpusBuildOptions: Sendable {
    /// The corpus folder (created; resumed when it holds an unfinished build of the same plan).
    public var output: URL
    public var size: CorpusSize
    public var seed: UInt64
    /// Concurrent synthesis workers (each runs one engine process at a time).
    public var jobs: Int
    public var tools: EngineTools
    public var fortunes: FortuneSource
    /// Stop (with `CorpusError.interrupted`) after this many shards were finished in this run;
    /// for testing resumption. nil: run to the end.
    public var stopAfterShards: Int?
    /// No progress line.
    public var quiet: Bool

    public init(output: URL, size: CorpusSize = .standard, seed: UInt64 = 1, jobs: Int = 2,
                tools: EngineTools = .fromEnvironment(), fortunes: FortuneSource = FortuneSource(),
                stopAfterShards: Int? = nil, quiet: Bool = false) {
        self.output = output
        self.size = size
        self.seed = seed
        self.jobs = jobs
        self.tools = tools
        self.fortunes = fortunes
        self.stopAfterShards = stopAfterShards
        self.quiet = quiet
    }
}

/// plan.json: what an unfinished build in a folder was started with; a resume must match it.
struct PlanRecord: Codable, Equatable {
    var size: String
    var seed: UInt64
    var utterances: Int
    var shardSize: Int
    var fingerprint: String
    var trimmer: SilenceTrimmer
    var loudness: LoudnessNormalizer
}
