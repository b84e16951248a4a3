import ARDM
import Audio
import Foundation
import Serving

/// A stand-in `SpeechModel` whose sessions block in every `step` until the test opens the gate,
/// so queue and batching behaviour can be provoked deterministically. A request takes
/// `tokensPerRequest` steps; its audio is silence, one token per 0.064 s of `maxSeconds`.
final class GatedSpeechModel: SpeechModel, @unchecked Sendable {
    fileprivate let gate = DispatchSemaphore(value: 0)
    fileprivate let lock = NSLock()
    fileprivate var batches: [Int] = []

    let secondsPerToken = 0.064
    let tokensPerRequest: Int

    init(tokensPerRequest: Int = 1) { self.tokensPerRequest = tokensPerRequest }

    func prepare(text: String, promptText: String, promptAudio: [Float], seed: UInt64,
                 maxSeconds: Double) throws -> SynthesisRequest {
        SynthesisRequest(textIDs: [3], promptSpeech: [], seed: seed, maxTokens: max(1, Int(maxSeconds / secondsPerToken)))
    }

    func makeSession(options: SamplingOptions, guidance: SynthesisGuidance?) -> SpeechSession { Session(model: self) }

    /// Each step records the batch size, waits at the gate, then ends the requests that have had
    /// `tokensPerRequest` steps.
    final class Session: SpeechSession {
        let model: GatedSpeechModel
        var slots: [(request: SynthesisRequest, steps: Int)?] = Array(repeating: nil, count: 16)
        init(model: GatedSpeechModel) { self.model = model }
        var activeCount: Int { slots.filter { $0 != nil }.count }
        func admit(_ request: SynthesisRequest) -> Int {
            let slot = slots.firstIndex { $0 == nil }!
            slots[slot] = (request, 0)
            return slot
        }
        func cancel(slot: Int) { slots[slot] = nil }
        func step() -> [(slot: Int, result: SynthesisResult)] {
            model.lock.lock()
            model.batches.append(activeCount)
            model.lock.unlock()
            model.gate.wait()
            var finished: [(slot: Int, result: SynthesisResult)] = []
            for slot in slots.indices {
                guard let entry = slots[slot] else { continue }
                if entry.steps + 1 >= model.tokensPerRequest {
                    finished.append((slot, SynthesisResult(tokens: [], tokenCount: entry.request.maxTokens, stopped: false)))
                    slots[slot] = nil
                } else {
                    slots[slot] = (entry.request, entry.steps + 1)
                }
            }
            return finished
        }
    }

    func guidanceIncompatibility(with value: ValueModel) -> String? {
        "the gated test model has no sampler to guide"
    }

    func waveforms(of results: [SynthesisResult], request: SynthesisRequest, timbreMatch: Float) -> [Waveform] {
        results.map { result in
            Waveform(samples: [Float](repeating: 0, count: Int(Double(result.tokenCount) * secondsPerToken * 16_000)),
                     sampleRate: 16_000)
        }
    }

    /// Lets `count` steps finish.
    func open(_ count: Int = 1) {
        for _ in 0..<count { gate.signal() }
    }

    /// The batch size of every step started so far.
    var batchSizes: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return batches
    }
}
