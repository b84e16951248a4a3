import Foundation
import Testing
@testable import Audio

@Suite("F0 variance reward")
struct F0VarianceTests {
    static let frameRate = 100.0

    /// A contour F0(t) = 150 + A sin(2π·1Hz·t) has std A/√2; the 0.2-5 Hz band passes 1 Hz with
    /// |H|² = 0.997, so F0V ≈ 0.997 · A/√2.
    static func expectedF0V(amplitude: Double, at frequency: Double = 1) -> Double {
        let high = Biquad.butterworthHighPass(cutoff: F0VarianceReward.band.lowerBound, sampleRate: frameRate)
        let low = Biquad.butterworthLowPass(cutoff: F0VarianceReward.band.upperBound, sampleRate: frameRate)
        let gain = high.magnitudeResponse(at: frequency, sampleRate: frameRate)
            * low.magnitudeResponse(at: frequency, sampleRate: frameRate)
        return gain * gain * amplitude / 2.squareRoot()
    }

    static func track(_ f0: (Double) -> Double, seconds: Double, voiced: (Int) -> Bool = { _ in true }) -> PitchTrack {
        let count = Int(seconds * frameRate)
        let frequencies = (0..<count).map { Float(f0(Double($0) / frameRate)) }
        let flags = (0..<count).map(voiced)
        return PitchTrack(hopSeconds: 0.01, frequencies: frequencies, voiced: flags,
                          aperiodicity: flags.map { $0 ? 0 : 1 })
    }

    @Test func phraseLevelSineGivesItsStandardDeviation() {
        let result = F0VarianceReward().evaluate(Self.track({ 150 + 20 * sin(2 * .pi * $0) }, seconds: 4))
        let expected = Self.expectedF0V(amplitude: 20)
        #expect(abs(result.f0VarianceHz / expected - 1) < 0.03, "F0V \(result.f0VarianceHz), expected \(expected)")
        #expect(abs(result.meanF0Hz! - 150) < 0.5)
    }

    @Test func constantPitchHasZeroVariance() {
        let result = F0VarianceReward().evaluate(Self.track({ _ in 200 }, seconds: 3))
        #expect(result.f0VarianceHz < 1e-9)
    }

    /// Jitter-rate motion (20 Hz) is outside the band and barely counts.
    @Test func fastJitterIsFilteredOut() {
        let result = F0VarianceReward().evaluate(Self.track({ 150 + 10 * sin(2 * .pi * 20 * $0) }, seconds: 3))
        #expect(result.f0VarianceHz < 0.3, "F0V \(result.f0VarianceHz)")
    }

    /// Unvoiced gaps (every 4th 150 ms stretch) are bridged: the reward barely changes.
    @Test func gapsAreBridged() {
        let f0 = { (t: Double) in 150 + 20 * sin(2 * .pi * t) }
        let full = F0VarianceReward().evaluate(Self.track(f0, seconds: 4))
        let gappy = F0VarianceReward().evaluate(Self.track(f0, seconds: 4) { ($0 / 15) % 4 != 3 })
        #expect(gappy.voicedFrames < full.voicedFrames)
        #expect(abs(gappy.f0VarianceHz / full.f0VarianceHz - 1) < 0.05)
    }

    /// A tracker's doubling error on a moving contour (a 150 ms run read at 1.9× the pitch) is
    /// left out, while a real rise of half an octave for 300 ms counts.
    @Test func doubledFramesAreTrackerErrors() {
        let f0 = { (t: Double) in 100 + 10 * sin(2 * .pi * t) }
        let clean = F0VarianceReward().evaluate(Self.track(f0, seconds: 4))
        let doubled = F0VarianceReward().evaluate(Self.track({ (1.5...1.65).contains($0) ? 1.9 * f0($0) : f0($0) }, seconds: 4))
        #expect(abs(doubled.f0VarianceHz / clean.f0VarianceHz - 1) < 0.05, "F0V \(doubled.f0VarianceHz) against \(clean.f0VarianceHz)")
        let risen = F0VarianceReward().evaluate(Self.track({ (1.4...1.7).contains($0) ? 1.4 * f0($0) : f0($0) }, seconds: 4))
        #expect(risen.f0VarianceHz > 1.3 * clean.f0VarianceHz && risen.voicedFrames == clean.voicedFrames,
                "F0V \(risen.f0VarianceHz) against \(clean.f0VarianceHz)")
    }

    @Test func tooFewVoicedFramesGiveZero() {
        let result = F0VarianceReward().evaluate(Self.track({ _ in 150 }, seconds: 1) { $0 < 5 })
        #expect(result.f0VarianceHz == 0 && result.voicedFrames == 5)
        #expect(F0VarianceReward()([Float](repeating: 0, count: 16_000)) ==
                F0VarianceResult(f0VarianceHz: 0, meanF0Hz: nil, voicedFrames: 0, frameCount: 101))
    }

    @Test func logInterpolationBridgesGeometrically() {
        let contour = F0VarianceReward.bridgeGaps(frequencies: [100, 0, 400], voiced: [true, false, true])!
        #expect(abs(contour[1] - 200) < 1e-9)
        #expect(F0VarianceReward.removeShortRuns([true, true, false, true, true, true], minimumLength: 3)
                == [false, false, false, true, true, true])
    }

    /// End to end on audio: a harmonic source whose F0 follows 150 + 20 sin(2π·1Hz·t) for 4 s,
    /// tracked by YIN, gives the F0V of its contour within 3%.
    @Test func audioWithKnownModulationGivesItsF0V() {
        let audio = SignalFixtures.harmonic(seconds: 4) { 150 + 20 * sin(2 * .pi * $0) }
        let result = F0VarianceReward()(audio)
        let expected = Self.expectedF0V(amplitude: 20)
        print("F0V of 150 ± 20 Hz at 1 Hz: measured \(result.f0VarianceHz) Hz, expected \(expected) Hz")
        #expect(abs(result.f0VarianceHz / expected - 1) < 0.03)
        #expect(abs(result.meanF0Hz! - 150) < 1.5)
    }

    @Test func butterworthMatchesItsDesign() {
        let low = Biquad.butterworthLowPass(cutoff: 5, sampleRate: 100)
        #expect(abs(low.magnitudeResponse(at: 5, sampleRate: 100) - 1 / 2.squareRoot()) < 1e-9)
        #expect(abs(low.magnitudeResponse(at: 0, sampleRate: 100) - 1) < 1e-12)
        let high = Biquad.butterworthHighPass(cutoff: 0.2, sampleRate: 100)
        #expect(abs(high.magnitudeResponse(at: 0.2, sampleRate: 100) - 1 / 2.squareRoot()) < 1e-9)
        #expect(high.magnitudeResponse(at: 0, sampleRate: 100) < 1e-12)
    }
}
