import ArgumentParser
import Audio
import Foundation
import Rewards

/// `vgpo-train score`: score audio files with any set of rewards, one JSON line per file.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score WAV files (or every audio file in a folder) with rewards; prints JSON lines.",
        discussion: """
            Rewards: f0v (Hz), ctc_likelihood (per-phoneme likelihood in (0, 1), with the NLL), \
            per (phoneme error rate), sim (cosine similarity to --prompt), or "all". \
            ctc_likelihood and per need the text: --text for every file, else a sidecar <name>.txt. \
            A reward whose input is missing reports an error for that file and the others still run.

            Example: vgpo-train score out/ --rewards f0v,ctc_likelihood,per --text "Hello there."
            """)

    @Argument(help: "Audio files or folders (WAV, FLAC, OGG; any rate, any channels).") var paths: [String]
    @Option(help: "Comma-separated rewards, or 'all'.") var rewards = "f0v"
    @Option(help: "Target text for every file (else <name>.txt beside each file).") var text: String?
    @Option(help: "Prompt audio for sim.") var prompt: String?
    // --ctc-model and --speaker-model are the names this command had before it took the others'.
    @Option(name: [.customLong("ctc"), .customLong("ctc-model")], help: "CTC recogniser folder.") var ctc = "models/ctc"
    @Option(name: [.customLong("speaker"), .customLong("speaker-model")], help: "Speaker encoder folder.") var speaker = "models/speaker"
    @Flag(help: "Add each reward's wall time (seconds) per file.") var timing = false

    static let audioExtensions: Set<String> = ["wav", "flac", "ogg"]

    struct Row: Encodable {
        var path: String
        var durationSeconds: Double
        var rewards: [String: RewardScore] = [:]
        var errors: [String: String] = [:]
        var seconds: [String: Double]?
    }

    func run() throws {
        let names = try RewardCatalog.names(rewards)
        let catalog = RewardCatalog(ctcModel: URL(fileURLWithPath: ctc), speakerModel: URL(fileURLWithPath: speaker))
        let scorers = try catalog.make(names)
        let promptAudio = try prompt.map { try decode($0) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        for path in try audioFiles() {
            let audio = try decode(path)
            let sidecar = URL(fileURLWithPath: path).deletingPathExtension().appendingPathExtension("txt")
            let fileText = text ?? (try? String(contentsOf: sidecar, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            let input = RewardInput.likeCorpus(audio: audio, text: fileText, promptAudio: promptAudio)
            var row = Row(path: path, durationSeconds: Double(audio.count) / Double(internalSampleRate))
            if timing { row.seconds = [:] }
            for scorer in scorers {
                let start = Date()
                do { row.rewards[scorer.name.rawValue] = try scorer.score([input])[0] } catch {
                    row.errors[scorer.name.rawValue] = "\(error)"
                }
                if timing { row.seconds?[scorer.name.rawValue] = Date().timeIntervalSince(start) }
            }
            print(String(decoding: try encoder.encode(row), as: UTF8.self))
        }
    }

    func decode(_ path: String) throws -> [Float] {
        do { return try AudioDecoder.decode(path: path).samples } catch { throw ValidationError("\(path): \(error)") }
    }

    /// Files as given, folders expanded to their audio files in name order.
    func audioFiles() throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw ValidationError("\(path) does not exist") }
            if isFolder.boolValue {
                files += try FileManager.default.contentsOfDirectory(atPath: path).sorted()
                    .filter { Self.audioExtensions.contains(URL(fileURLWithPath: $0).pathExtension.lowercased()) }
                    .map { URL(fileURLWithPath: path).appendingPathComponent($0).path }
            } else {
                files.append(path)
            }
        }
        return files
    }
}
