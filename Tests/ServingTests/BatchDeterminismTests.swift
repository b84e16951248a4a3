import ARDM
import Foundation
import Testing
@testable import Serving

/// Whether a request's samples depend on what else shares its batch.
@Suite struct BatchDeterminismTests {
    /// Model widths: the tiny test model's, and the design's starting point (DESIGN §6: d = 256,
    /// head width 512), where GEMMs are large enough to take other kernel paths.
    @Test(arguments: [(32, 32), (256, 512)])
    func aRequestSampledAloneOrInABatchGivesTheSameTokens(channels: Int, headWidth: Int) throws {
        let model = ARDMSpeechModel(model: TinyModel.make(channels: channels, headWidth: headWidth), maxBatch: 4)
        let prompt = (0..<16_000).map { Float(0.3 * sin(Double($0) * 0.05)) }
        let requests = try (0..<3).map { index in
            try model.prepare(text: ["Hello there.", "A longer sentence to say.", "Yes."][index], promptText: "A tone.",
                              promptAudio: prompt, seed: UInt64(index + 1), maxSeconds: 0.3 + 0.1 * Double(index))
        }
        let options = SamplingOptions(steps: 2)
        let alone = model.generate([requests[0]], options: options, guidance: nil)[0]
        let batched = model.generate(requests, options: options, guidance: nil)[0]
        let reordered = model.generate([requests[2], requests[0]], options: options, guidance: nil)[1]
        #expect(alone.tokens == batched.tokens)
        #expect(alone.tokens == reordered.tokens)
    }
}
