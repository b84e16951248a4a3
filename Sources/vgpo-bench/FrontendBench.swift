import ArgumentParser
import Audio
import Foundation

/// Wall-clock cost of the front end's per-utterance work on a synthetic speech-like signal
/// (issue 3, "Must show 4"): each value is seconds of compute per second of audio (the
/// real-time factor; far below 1 is required).
struct FrontendBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frontend", abstract: "Real-time factors of F0V, log-mel and Griffin-Lim.")
    @Option(help: "Seconds of test audio.") var seconds = 10.0
    @Option(help: "Griffin-Lim iterations.") var iterations = 32
    @Option(help: "Runs per measurement (best reported).") var repeats = 3

    func run() {
        let (seconds, iterations, repeats) = (self.seconds, self.iterations, self.repeats)
        let rate = Double(internalSampleRate)
        let samples = (0..<Int(seconds * rate)).map { n -> Float in
            let t = Double(n) / rate
            let f0 = 140 + 30 * sin(2 * Double.pi * 0.7 * t)
            let phase = 2 * Double.pi * (140 * t - 30 / (2 * Double.pi * 0.7) * cos(2 * Double.pi * 0.7 * t))
            var value = 0.0
            for k in 1...20 where Double(k) * f0 < rate / 2 { value += sin(Double(k) * phase) / Double(k) }
            return Float(0.2 * value * (0.6 - 0.4 * cos(2 * Double.pi * 3 * t)))
        }
        func best(_ work: () -> Void) -> Double {
            (0..<max(1, repeats)).map { _ in
                let start = DispatchTime.now().uptimeNanoseconds
                work()
                return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            }.min()!
        }
        let reward = F0VarianceReward()
        let vocoder = GriffinLimVocoder(iterations: iterations)
        var logMel = vocoder.extractor(samples)
        let f0v = best { _ = reward(samples) }
        let mel = best { logMel = vocoder.extractor(samples) }
        let griffinLim = best { _ = vocoder.synthesize(logMel) }
        printJSONLine([
            "bench": "frontend", "audio_seconds": seconds, "griffin_lim_iterations": iterations,
            "f0v_real_time_factor": rounded(f0v / seconds, 5),
            "log_mel_real_time_factor": rounded(mel / seconds, 5),
            "griffin_lim_real_time_factor": rounded(griffinLim / seconds, 5),
        ])
    }
}
