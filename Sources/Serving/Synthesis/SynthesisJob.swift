import ARDM
import Dispatch
import Foundation

/// One request's work as the scheduler sees it: which model, what to sample, with which options,
/// and the slot its result is delivered to. The HTTP thread that submitted it waits on `done`.
final class SynthesisJob: @unchecked Sendable {
    let model: SpeechModel
    let request: SynthesisRequest
    /// Per-request options, carried with the job; jobs share a batch only when these are equal.
    let options: SamplingOptions
    let done = DispatchSemaphore(value: 0)

    /// Set by the worker before `done` is signalled.
    private(set) var outcome: Result<GeneratedSpeech, APIError>?

    init(model: SpeechModel, request: SynthesisRequest, options: SamplingOptions) {
        self.model = model
        self.request = request
        self.options = options
    }

    /// Whether `other` can be sampled in the same batch: same model object and same options.
    func canShareBatch(with other: SynthesisJob) -> Bool {
        model === other.model && options == other.options
    }

    func finish(_ outcome: Result<GeneratedSpeech, APIError>) {
        self.outcome = outcome
        done.signal()
    }
}

/// The sampler's output for one job and how it was produced.
public struct GeneratedSpeech: Sendable {
    public let result: SynthesisResult
    /// Wall-clock seconds of the batch that produced it.
    public let batchSeconds: Double
    /// Requests in that batch.
    public let batchSize: Int
}
