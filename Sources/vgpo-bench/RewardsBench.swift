import ArgumentParser
import Foundation
import Rewards

/// Seconds of compute per second of audio for each reward on a 10 s speech-like clip (issue 5,
/// must show 4): the shipped CTC recogniser and speaker encoder, and F0V.
struct RewardsBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rewards", abstract: "Real-time factor of each reward.")
    @Option(help: "CTC recogniser folder.") var ctc = "models/ctc"
    @Option(help: "Speaker encoder folder.") var speaker = "models/speaker"
    @Option(help: "Seconds of test audio.") var seconds = 10.0
    @Option(help: "Runs per reward (best reported).") var repeats = 3

    func run() throws {
        let rate = 16_000.0
        // A harmonic tone with a slow pitch glide and syllable-rate amplitude modulation.
        let audio = (0..<Int(seconds * rate)).map { n -> Float in
            let t = Double(n) / rate
            let phase = 2 * Double.pi * (130 * t + 10 * t * t)
            return Float(0.2 * (sin(phase) + 0.5 * sin(2 * phase) + 0.25 * sin(3 * phase)) * (0.6 - 0.4 * cos(2 * Double.pi * 4 * t)))
        }
        let input = RewardInput(audio: audio, text: "The quick brown fox jumps over the lazy dog, again and again.",
                                promptAudio: Array(audio.prefix(Int(3 * rate))))
        let catalog = RewardCatalog(ctcModel: URL(fileURLWithPath: ctc), speakerModel: URL(fileURLWithPath: speaker))
        var result: [String: Any] = ["bench": "rewards", "audio_seconds": seconds]
        for name in RewardName.allCases {
            let reward = try catalog.make([name])[0]
            _ = try reward.score([input])
            let best = (0..<repeats).map { _ -> Double in
                let t0 = now()
                _ = try? reward.score([input])
                return now() - t0
            }.min()!
            result["\(name.rawValue)_real_time_factor"] = rounded(best / seconds, 5)
        }
        printJSONLine(result)
    }
}
