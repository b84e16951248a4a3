import ArgumentParser
import Audio
import Foundation

/// `vgpo-train f0`: the F0 tracker and the F0V reward (paper Task A) on audio files, one JSON
/// line per file. Used by scripts/compare_f0_praat.py and to inspect a model's output.
struct F0Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "f0",
        abstract: "Print mean F0 and F0V (Hz) of audio files as JSON lines.",
        discussion: "Example: vgpo-train f0 a.wav b.flac --frames")

    @Argument(help: "Audio files (WAV, FLAC, OGG; any rate and channel count).")
    var files: [String]

    @Flag(help: "Also print the per-frame F0 track (10 ms hop, 0 = unvoiced).")
    var frames = false

    struct Row: Encodable {
        var path: String
        var meanF0Hz: Double?
        var f0vHz: Double
        var voicedFrames: Int
        var frames: Int
        var track: [Float]?
    }

    func run() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let reward = F0VarianceReward()
        for path in files {
            let waveform: Waveform
            do {
                waveform = try AudioDecoder.decode(path: path, targetSampleRate: reward.tracker.configuration.sampleRate)
            } catch {
                throw ValidationError("\(path): \(error)")
            }
            let result = reward(waveform.samples)
            var row = Row(path: path, meanF0Hz: result.meanF0Hz, f0vHz: result.f0VarianceHz,
                          voicedFrames: result.voicedFrames, frames: result.frameCount)
            if frames { row.track = reward.tracker.track(waveform.samples).f0.map { $0 ?? 0 } }
            print(String(decoding: try encoder.encode(row), as: UTF8.self))
        }
    }
}
