@testable import ARDM
import NN
import Testing

struct TimbreMatchTests {
    static let M = 4

    /// `frames` frames of M bins: a per-bin offset plus a pattern that changes from frame to frame.
    static func clip(frames: Int, offset: [Float], seed: UInt64) -> [Float] {
        var rng = RNG(seed: seed)
        return (0..<(frames * M)).map { offset[$0 % M] + rng.normal() }
    }

    static func loudMeans(_ values: [Float]) -> [Float] {
        TimbreMatch.loudFrameMeans(values, melBins: M)
    }

    @Test func fullStrengthGivesThePromptsMeansAndKeepsTheFramesShape() {
        let prompt = Self.clip(frames: 40, offset: [1, -2, 0.5, 3], seed: 1)
        let output = Self.clip(frames: 30, offset: [-1, 0, 2, 0], seed: 2)
        let matched = TimbreMatch.apply(output, prompt: prompt, melBins: Self.M, strength: 1)
        for (a, b) in zip(Self.loudMeans(matched), Self.loudMeans(prompt)) { #expect(abs(a - b) < 1e-4) }
        // One shift per bin: differences between frames are untouched.
        for i in Self.M..<output.count {
            #expect(abs((matched[i] - matched[i - Self.M]) - (output[i] - output[i - Self.M])) < 1e-4)
        }
    }

    @Test func strengthScalesTheShiftAndZeroLeavesTheClip() {
        let prompt = Self.clip(frames: 20, offset: [2, 2, 2, 2], seed: 3)
        let output = Self.clip(frames: 20, offset: [0, 0, 0, 0], seed: 4)
        #expect(TimbreMatch.apply(output, prompt: prompt, melBins: Self.M, strength: 0) == output)
        let half = TimbreMatch.apply(output, prompt: prompt, melBins: Self.M, strength: 0.5)
        let full = TimbreMatch.apply(output, prompt: prompt, melBins: Self.M, strength: 1)
        for i in output.indices { #expect(abs((full[i] - output[i]) - 2 * (half[i] - output[i])) < 1e-4) }
        #expect(TimbreMatch.apply(output, prompt: [], melBins: Self.M, strength: 1) == output)
    }

    /// Pauses and trailing silence (frames far below the rest) do not move the means.
    @Test func silentFramesDoNotCount() {
        let speech = Self.clip(frames: 30, offset: [0, 1, 2, 3], seed: 5)
        let silence = [Float](repeating: -8, count: 10 * Self.M)
        for (a, b) in zip(Self.loudMeans(speech + silence), Self.loudMeans(speech)) { #expect(abs(a - b) < 0.3) }
        let padded = TimbreMatch.apply(speech + silence, prompt: speech, melBins: Self.M, strength: 1)
        for (a, b) in zip(padded.prefix(speech.count), speech) { #expect(abs(a - b) < 0.3) }
    }
}
