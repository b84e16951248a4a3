import Foundation

/// Wall-clock timings of the front end's per-utterance work on a synthetic speech-like signal,
/// for `vgpo-bench frontend` (issue 3, "Must show 4"). Each value is seconds of compute per
/// second of audio (the real-time factor; far below 1 is required).
public struct FrontendTimings: Sendable, Codable, Equatable {
    public var audioSeconds: Double
    public var f0vRealTimeFactor: Double
    public var logMelRealTimeFactor: Double
    public var griffinLimRealTimeFactor: Double
    public var griffinLimIterations: Int

    /// Times F0V, log-mel and Griffin-Lim (from log-mel, `iterations` iterations) on `seconds`
    /// of a harmonic test signal; each is the best of `repeats` runs.
    public static func measure(seconds: Double = 10, iterations: Int = 32, repeats: Int = 3) -> FrontendTimings {
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
        return FrontendTimings(audioSeconds: seconds, f0vRealTimeFactor: f0v / seconds,
                               logMelRealTimeFactor: mel / seconds, griffinLimRealTimeFactor: griffinLim / seconds,
                               griffinLimIterations: iterations)
    }
}
