import Foundation
import Testing
@testable import Audio

/// The corpus's conditioning of audio (silence trimming, loudness), which prompts at synthesis
/// time go through too.
@Suite("Silence trimming and loudness")
struct ConditioningTests {
    @Test func trimmerCutsSilenceWithMargin() {
        let rate = 16_000
        let tone = (0..<rate).map { Float(0.5 * sin(2 * Double.pi * 220 * Double($0) / Double(rate))) }
        let silence = [Float](repeating: 0, count: rate / 2)
        let noise = (0..<(rate / 2)).map { Float(($0 % 7) - 3) * 1e-5 }  // ~ -90 dB: below the threshold
        let signal = silence + tone + noise
        let range = SilenceTrimmer.standard.speechRange(signal, sampleRate: rate)!
        let margin = Int(SilenceTrimmer.standard.marginSeconds * Double(rate))
        #expect(abs(range.lowerBound - (rate / 2 - margin)) <= 160)
        #expect(abs(range.upperBound - (rate / 2 + rate + margin)) <= 160)
        #expect(SilenceTrimmer.standard.speechRange([Float](repeating: 0, count: 1000), sampleRate: rate) == nil)
    }

    @Test func loudnessNormalizerReachesTargetWithoutClipping() {
        let quiet = (0..<16_000).map { Float(0.01 * sin(Double($0) * 0.05)) }
        let out = LoudnessNormalizer.standard.normalize(quiet)
        let rms = (out.map { Double($0 * $0) }.reduce(0, +) / Double(out.count)).squareRoot()
        #expect(abs(20 * log10(rms) - LoudnessNormalizer.standard.targetRMSDecibels) < 0.1)
        let spiky = [Float](repeating: 0.001, count: 1000) + [0.9]
        #expect(LoudnessNormalizer.standard.normalize(spiky).map(abs).max()! <= LoudnessNormalizer.standard.peakLimit + 1e-6)
    }
}
