import Corpus
import Foundation

/// Tiny corpora built once per test process into temporary folders and shared by the tests
/// (each build takes a few seconds).
enum TinyCorpusFixture {
    static let seed: UInt64 = 7

    static func temporaryFolder(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("corpus-tests-\(getpid())-\(name)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.removeItem(at: url)
        return url
    }

    static func options(_ folder: URL, seed: UInt64 = seed, stopAfterShards: Int? = nil,
                        tools: EngineTools = .fromEnvironment()) -> CorpusBuildOptions {
        CorpusBuildOptions(output: folder, size: .tiny, seed: seed, jobs: 2, tools: tools,
                           stopAfterShards: stopAfterShards, quiet: true)
    }

    /// A finished tiny corpus (built once, uninterrupted).
    static let reference: Result<URL, Error> = Result {
        let folder = temporaryFolder("reference")
        try CorpusBuilder.build(options(folder))
        return folder
    }

    static func referenceStore() throws -> CorpusStore {
        try CorpusStore(url: reference.get())
    }
}
