import ARDM
import Dispatch
import Foundation

/// One request's work as the scheduler sees it: which model, what to sample, with which options
/// and guidance, and the slot its result is delivered to. The HTTP thread that submitted it
/// waits on `done`.
final class SynthesisJob: @unchecked Sendable {
    let model: SpeechModel
    let request: SynthesisRequest
    /// Per-request options and guidance, carried with the job; jobs share a batch only when
    /// both are equal.
    let options: SamplingOptions
    let guidance: SynthesisGuidance?
    let done = DispatchSemaphore(value: 0)

    /// Set by the worker before `done` is signalled.
    private(set) var outcome: Result<GeneratedSpeech, APIError>?
    /// Set (under the scheduler's lock) when the waiting request gave up: the worker drops the
    /// job from its batch at the next token instead of sampling it to the end.
    var cancelled = false

    init(model: SpeechModel, request: SynthesisRequest, options: SamplingOptions, guidance: SynthesisGuidance?) {
        self.model = model
        self.request = request
        self.options = options
        self.guidance = guidance
    }

    /// Whether `other` can be sampled in the same batch: same model object, same options, same
    /// guidance (value model and λ).
    func canShareBatch(with other: SynthesisJob) -> Bool {
        model === other.model && options == other.options && guidance == other.guidance
    }

    func finish(_ outcome: Result<GeneratedSpeech, APIError>) {
        self.outcome = outcome
        done.signal()
    }
}

/// The sampler's output for one job and how it was produced.
public struct GeneratedSpeech: Sendable {
    public let result: SynthesisResult
    /// Wall-clock seconds from joining the batch to leaving it.
    public let batchSeconds: Double
    /// The most requests it shared a token step with.
    public let batchSize: Int
    /// Which batch (session) produced it, counted by the worker: the candidates of one best-of-K
    /// request may span sessions, and their compute time is the sum over distinct sessions.
    public let batchNumber: Int
}
