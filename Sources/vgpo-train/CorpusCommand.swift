import ArgumentParser
import Corpus
import Foundation

/// `vgpo-train corpus`: synthesise the training corpus and test sets (docs/corpus.md).
struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Build the speech corpus and the Task A / Task B test sets from Debian's TTS engines.",
        discussion: """
            Needs: apt-get install \(EngineTools.allPackages.joined(separator: " ")). \
            Interrupted builds resume when run again with the same options. \
            Engine programs can be overridden with VGPO_ESPEAK_NG, VGPO_FLITE and VGPO_FESTIVAL.

            Example: vgpo-train corpus --size tiny --out /tmp/tiny-corpus
            """,
        subcommands: [CorpusEspeakHelperCommand.self])

    @Option(help: "Corpus size: 'default' (about 9 hours, 120 voices), 'wide' (default plus 2,880 utterances from 48 more espeak-ng timbres) or 'tiny' (seconds to build, for tests).")
    var size: String = "default"

    @Option(help: "Output folder.")
    var out: String = "data/corpus"

    @Option(help: "Seed for the sentence split, the voice schedule and the test sets.")
    var seed: UInt64 = 1

    @Option(help: "Concurrent synthesis workers.")
    var jobs: Int = 2

    @Option(help: "Stop after finishing this many shards (to try resumption); run again without it to continue.")
    var stopAfterShards: Int?

    @Flag(help: "Only check that the engines, voices and text are installed; build nothing.")
    var check = false

    @Flag(help: "Only re-check an existing corpus: every utterance's audio and mel against the manifest's SHA-256.")
    var verify = false

    @Flag(help: "No progress line.")
    var quiet = false

    func run() throws {
        guard let corpusSize = CorpusSize.named(size) else {
            throw ValidationError("unknown --size '\(size)': use 'default', 'wide' or 'tiny'")
        }
        var tools = EngineTools.fromEnvironment()
        // This executable is its own espeak-ng timing helper (`corpus espeak-helper`).
        if let executable = Self.executablePath() { tools.espeakHelper = [executable, "corpus", "espeak-helper"] }
        let options = CorpusBuildOptions(output: URL(fileURLWithPath: out), size: corpusSize, seed: seed, jobs: jobs, tools: tools,
                                         stopAfterShards: stopAfterShards, quiet: quiet)
        do {
            if verify {
                let store = try CorpusStore(path: out)
                for utterance in store.utterances { try store.verify(utterance) }
                print("corpus: \(store.utterances.count) utterances in \(out) match their checksums")
                return
            }
            if check {
                let missing = options.tools.missing(for: corpusSize.voices) + [options.fortunes.check()].compactMap { $0 }
                guard missing.isEmpty else { throw CorpusError.missingTools(missing) }
                print("corpus: all engines, voices and text for size '\(size)' are installed")
                return
            }
            let started = Date()
            let summary = try CorpusBuilder.build(options)
            let seconds = Date().timeIntervalSince(started)
            print(CorpusReport.lines(summary, folder: out, wallSeconds: seconds).joined(separator: "\n"))
        } catch let error as CorpusError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// The running program's absolute path (Linux: /proc/self/exe).
    static func executablePath() -> String? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? Bundle.main.executablePath
    }
}
