import Foundation
import Testing
@testable import Audio

/// YIN on signals with known F0; tolerances in log frequency (|ln(estimate / truth)|).
@Suite("YIN pitch tracker")
struct PitchTrackerTests {
    static let onePercent = log(1.01)

    /// Voiced frames away from the edges (the first and last 60 ms see zero padding).
    static func interior(_ track: PitchTrack) -> Range<Int> { 6..<(track.frameCount - 6) }

    static func worstLogError(_ track: PitchTrack, truth: (Double) -> Double) -> Double {
        interior(track).map { t in abs(log(Double(track.frequencies[t]) / truth(Double(t) * track.hopSeconds))) }.max()!
    }

    @Test(arguments: [80.0, 100, 150, 220, 333, 440, 500])
    func tonesInTheSpeechRangeWithinOnePercent(frequency: Double) {
        let track = YINPitchTracker()(SignalFixtures.tone(frequency: frequency, seconds: 0.5))
        #expect(Self.interior(track).allSatisfy { track.voiced[$0] })
        #expect(Self.worstLogError(track) { _ in frequency } < Self.onePercent)
    }

    /// Up to 800 Hz with the search range widened (the F0V default stops at 500 Hz).
    @Test(arguments: [600.0, 700, 800])
    func highTonesWithAWiderRange(frequency: Double) {
        let tracker = YINPitchTracker(configuration: PitchTrackerConfiguration(maximumF0: 1000))
        let track = tracker(SignalFixtures.tone(frequency: frequency, seconds: 0.5))
        #expect(Self.interior(track).allSatisfy { track.voiced[$0] })
        #expect(Self.worstLogError(track) { _ in frequency } < Self.onePercent)
    }

    /// Impulse trains with whole-sample periods: every harmonic at equal strength, the hardest
    /// case for octave errors.
    @Test(arguments: [80.0, 100, 125, 160, 250, 400])
    func pulseTrainsWithinOnePercent(frequency: Double) {
        let track = YINPitchTracker()(SignalFixtures.pulseTrain(f0: frequency, seconds: 0.6))
        #expect(Self.interior(track).allSatisfy { track.voiced[$0] })
        #expect(Self.worstLogError(track) { _ in frequency } < Self.onePercent)
    }

    /// Band-limited pulse trains with fractional periods.
    @Test(arguments: [63.0, 95, 121.5, 210, 310, 450])
    func bandLimitedPulseTrainsWithinOnePercent(frequency: Double) {
        let track = YINPitchTracker()(SignalFixtures.bandLimitedPulseTrain(f0: frequency, seconds: 0.6))
        #expect(Self.interior(track).allSatisfy { track.voiced[$0] })
        #expect(Self.worstLogError(track) { _ in frequency } < Self.onePercent)
    }

    /// Linear chirp 100 -> 300 Hz over 2 s of a 10-harmonic source: the estimate follows the
    /// instantaneous frequency within 1%.
    @Test func chirpIsFollowed() {
        let f0 = { (t: Double) in 100 + 100 * t }
        let track = YINPitchTracker()(SignalFixtures.harmonic(seconds: 2, f0: f0))
        #expect(Self.interior(track).allSatisfy { track.voiced[$0] })
        #expect(Self.worstLogError(track, truth: f0) < Self.onePercent)
    }

    @Test func silenceIsUnvoiced() {
        let track = YINPitchTracker()([Float](repeating: 0, count: 8000))
        #expect(track.voiced.allSatisfy { !$0 })
        #expect(track.meanVoicedF0 == nil)
    }

    @Test(arguments: [0.01 as Float, 0.5])
    func whiteNoiseIsUnvoiced(amplitude: Float) {
        let track = YINPitchTracker()(SignalFixtures.whiteNoise(seconds: 1, amplitude: amplitude))
        #expect(track.voicedFraction == 0, "voiced fraction \(track.voicedFraction)")
    }

    /// A tone, then silence, then noise: voiced exactly where the tone is (±4 frames).
    @Test func voicingFollowsTheSignal() {
        let signal = SignalFixtures.tone(frequency: 180, seconds: 0.5) + [Float](repeating: 0, count: 8000)
            + SignalFixtures.whiteNoise(seconds: 0.5, amplitude: 0.3)
        let track = YINPitchTracker()(signal)
        for t in 0..<track.frameCount {
            if t < 46 { #expect(track.voiced[t], "frame \(t)") }
            if t > 54 { #expect(!track.voiced[t], "frame \(t)") }
        }
    }

    @Test func fftDifferenceFunctionMatchesTheDirectSum() {
        let tracker = YINPitchTracker()
        let c = tracker.configuration
        let x = SignalFixtures.harmonic(seconds: 0.2) { _ in 137 } + SignalFixtures.whiteNoise(seconds: 0.1, amplitude: 0.05)
        var prefix = [Double](repeating: 0, count: x.count + 1)
        for i in x.indices { prefix[i + 1] = prefix[i] + Double(x[i]) * Double(x[i]) }
        var workspace = CorrelationWorkspace(size: 1024)
        var fast = [Float](repeating: 0, count: c.maximumLag + 1)
        tracker.differenceFunction(x, start: 500, prefix: prefix, workspace: &workspace, into: &fast)
        let reference = YINPitchTracker.differenceFunctionReference(x, start: 500, window: c.integrationWindow,
                                                                    maxLag: c.maximumLag)
        let scale = reference.max()!
        #expect(zip(fast, reference).allSatisfy { abs($0 - $1) < 1e-4 * scale })
    }
}

extension YINPitchTracker {
    func callAsFunction(_ samples: [Float]) -> PitchTrack { track(samples) }
}
