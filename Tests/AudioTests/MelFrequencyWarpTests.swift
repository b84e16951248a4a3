import Audio
import Foundation
import Testing

/// Frequency warping of log-mel (vocal-tract-length perturbation) moves spectral features where
/// the physics says: a tone at f, warped by α, looks like a tone at α·f.
struct MelFrequencyWarpTests {
    static func loudestBand(_ logMel: LogMel) -> Int {
        let frame = Array(logMel.frame(logMel.frameCount / 2))
        return frame.firstIndex(of: frame.max()!)!
    }

    @Test func factorOneChangesNothing() {
        let logMel = LogMelExtractor()(SignalFixtures.harmonic(seconds: 0.5) { _ in 140 })
        let warped = MelFrequencyWarp(configuration: .standard, factor: 1).apply(logMel.values)
        #expect(zip(warped, logMel.values).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    /// Up and down: the warped tone peaks in the band of the tone at α·f, not in its own.
    @Test(arguments: [(1500.0, 1.2), (2400.0, 0.85), (700.0, 1.15)])
    func aWarpedToneLooksLikeTheToneAtTheScaledFrequency(frequency: Double, factor: Double) {
        let extractor = LogMelExtractor()
        let tone = extractor(SignalFixtures.tone(frequency: frequency, seconds: 0.5))
        let warped = LogMel(frameCount: tone.frameCount, melCount: 80,
                            values: MelFrequencyWarp(configuration: .standard, factor: factor).apply(tone.values))
        let moved = extractor(SignalFixtures.tone(frequency: frequency * factor, seconds: 0.5))
        #expect(Self.loudestBand(warped) == Self.loudestBand(moved))
        #expect(Self.loudestBand(warped) != Self.loudestBand(tone))
    }

    /// Bands whose source lies beyond the outermost band centres take the edge band's value.
    @Test func sourcesOutsideTheBandsTakeTheEdgeValue() {
        let ramp = (0..<80).map { Float($0) }
        let up = MelFrequencyWarp(configuration: .standard, factor: 1.3).apply(ramp)
        let down = MelFrequencyWarp(configuration: .standard, factor: 0.7).apply(ramp)
        #expect(up[0] == 0)
        #expect(down[79] == 79)
        #expect(zip(up, up.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(up[60] < 60 && down[20] > 20)
    }
}
