import ARDM
import Audio
import Foundation
import Serving

/// A stand-in `SpeechModel` whose `generate` blocks until the test opens the gate, so queue and
/// batching behaviour can be provoked deterministically. Its audio is silence, one token per
/// 0.064 s of `maxSeconds`.
final class GatedSpeechModel: SpeechModel, @unchecked Sendable {
    private let gate = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var batches: [Int] = []

    let secondsPerToken = 0.064

    func prepare(text: String, promptText: String, promptAudio: [Float], seed: UInt64,
                 maxSeconds: Double) throws -> SynthesisRequest {
        SynthesisRequest(textIDs: [3], promptSpeech: [], seed: seed, maxTokens: max(1, Int(maxSeconds / secondsPerToken)))
    }

    func generate(_ requests: [SynthesisRequest], options: SamplingOptions,
                  guidance: SynthesisGuidance?) -> [SynthesisResult] {
        lock.lock()
        batches.append(requests.count)
        lock.unlock()
        gate.wait()
        return requests.map { SynthesisResult(tokens: [], tokenCount: $0.maxTokens, stopped: false) }
    }

    func guidanceIncompatibility(with value: ValueModel) -> String? {
        "the gated test model has no sampler to guide"
    }

    func waveform(of result: SynthesisResult) -> Waveform {
        Waveform(samples: [Float](repeating: 0, count: Int(Double(result.tokenCount) * secondsPerToken * 16_000)),
                 sampleRate: 16_000)
    }

    /// Lets `count` batches finish.
    func open(_ count: Int = 1) {
        for _ in 0..<count { gate.signal() }
    }

    /// Sizes of the batches started so far.
    var batchSizes: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return batches
    }
}
