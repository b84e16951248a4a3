import Foundation
import Testing
@testable import Audio

@Suite("Corpus conditioning of prompts and scored audio")
struct CorpusConditioningTests {
    /// Half a second of a 200 Hz tone with 20 ms fades: a stand-in for a spoken prompt.
    static let burst: [Float] = (0..<8000).map { i in
        let fade = Float(min(i, 7999 - i, 320)) / 320
        return 0.2 * fade * Float(sin(2 * Double.pi * 200 * Double(i) / 16_000))
    }

    /// A prompt with 0.4 s of silence before and 0.6 s after (whole 10 ms trimming frames), and
    /// 6 dB louder, is conditioned to the same samples as one cut with the corpus's 50 ms
    /// margins: what the model sees does not depend on how the user cut or levelled the recording.
    @Test func silenceAndLevelOfAPromptDoNotReachTheModel() {
        let margin = [Float](repeating: 0, count: 800)
        let cut = CorpusConditioning.apply(margin + Self.burst + margin, sampleRate: 16_000)
        let padded = [Float](repeating: 0, count: 6400) + Self.burst.map { 2 * $0 } + [Float](repeating: 0, count: 9600)
        let conditioned = CorpusConditioning.apply(padded, sampleRate: 16_000)
        #expect(conditioned.count == Self.burst.count + 2 * margin.count)
        #expect(conditioned.count == cut.count)
        #expect(zip(conditioned, cut).allSatisfy { abs($0 - $1) < 1e-5 })
        // The level is −20 dBFS RMS.
        let rms = (conditioned.map { Double($0) * Double($0) }.reduce(0, +) / Double(conditioned.count)).squareRoot()
        #expect(abs(20 * log10(rms) + 20) < 0.01)
    }

    /// Silence alone has no speech to find: it passes through unchanged (and unscaled).
    @Test func aSilentPromptIsLeftAlone() {
        let silent = [Float](repeating: 0, count: 1600)
        #expect(CorpusConditioning.apply(silent, sampleRate: 16_000) == silent)
    }
}
