import Foundation
import Testing
@testable import Audio

@Suite("Griffin-Lim vocoder")
struct GriffinLimTests {
    /// A speech-like test signal: a harmonic source with a moving F0 (110-170 Hz) whose
    /// amplitude rises and falls like syllables, plus a little noise; 1.5 s at 16 kHz.
    static func speechLike() -> [Float] {
        let voiced = SignalFixtures.harmonic(seconds: 1.5, harmonics: 40) { 140 + 30 * sin(2 * .pi * 1.3 * $0) }
        let noise = SignalFixtures.whiteNoise(seconds: 1.5, amplitude: 0.01)
        return (0..<voiced.count).map { n in
            let t = Double(n) / 16_000
            let envelope = Float(0.55 - 0.45 * cos(2 * .pi * 4 * t))
            return envelope * voiced[n] + noise[n]
        }
    }

    /// Mean |Δ log-mel| over all frames and bins, in nats.
    static func meanAbsoluteDistance(_ a: LogMel, _ b: LogMel) -> Double {
        let frames = min(a.frameCount, b.frameCount)
        let count = frames * a.melCount
        return (0..<count).map { Double(abs(a.values[$0] - b.values[$0])) }.reduce(0, +) / Double(count)
    }

    /// audio -> log-mel -> Griffin-Lim audio -> log-mel. Measured: see the printed line.
    @Test func melRoundTripDistanceIsSmall() {
        let vocoder = GriffinLimVocoder(iterations: 32)
        let original = vocoder.extractor(Self.speechLike())
        let audio = vocoder.synthesize(original)
        let resynthesised = vocoder.extractor(audio.samples)
        let distance = Self.meanAbsoluteDistance(original, resynthesised)
        print("griffin-lim round trip (32 iterations, momentum 0.99): mean |Δ log-mel| = \(distance) nats")
        #expect(resynthesised.frameCount == original.frameCount)
        #expect(distance < 0.25)
    }

    /// Momentum (fast Griffin-Lim) matches the spectrum better than classic Griffin-Lim at the same iterations.
    @Test func fastGriffinLimBeatsClassicAtEqualIterations() {
        let stft = STFT()
        let signal = Self.speechLike()
        let target = stft.forward(signal)
        let magnitude = target.magnitude
        func spectralConvergence(_ audio: [Float]) -> Double {
            let rebuilt = stft.forward(audio).magnitude
            let error = zip(rebuilt, magnitude).map { Double(($0 - $1) * ($0 - $1)) }.reduce(0, +)
            let energy = magnitude.map { Double($0 * $0) }.reduce(0, +)
            return (error / energy).squareRoot()
        }
        let classic = spectralConvergence(GriffinLim(stft: stft, iterations: 16, momentum: 0)
            .reconstruct(magnitude: magnitude, frameCount: target.frameCount, length: signal.count))
        let fast = spectralConvergence(GriffinLim(stft: stft, iterations: 16, momentum: 0.99)
            .reconstruct(magnitude: magnitude, frameCount: target.frameCount, length: signal.count))
        print("spectral convergence after 16 iterations: classic \(classic), fast \(fast)")
        #expect(fast < classic)
    }
}
