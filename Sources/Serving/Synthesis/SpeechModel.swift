import ARDM
import Audio

/// A loaded text-to-speech model as the server drives it, in three stages:
/// the front end (`prepare`) and the vocoder (`waveforms`) are pure functions of their input and
/// may run on any request's thread; sampling sessions own mutable sampler state (KV cache,
/// workspaces) and are driven only by the scheduler's worker thread (STYLE, "Servers").
public protocol SpeechModel: AnyObject, Sendable {
    /// Seconds of audio per generated speech token.
    var secondsPerToken: Double { get }

    /// Text and prompt voice to a sampler request. Throws `TextError` for text that cannot be
    /// spoken and `SpeechModelError` for a request that does not fit the model.
    func prepare(text: String, promptText: String, promptAudio: [Float], seed: UInt64,
                 maxSeconds: Double) throws -> SynthesisRequest

    /// A batch that requests join and leave between tokens, with shared options and, when
    /// given, value guidance (scheduler thread only; one session at a time per model).
    func makeSession(options: SamplingOptions, guidance: SynthesisGuidance?) -> SpeechSession

    /// Why `value` cannot guide this model (a sentence for a 422), or nil when it can. Called on
    /// request threads before any job is queued, so the worker never meets a mismatch.
    func guidanceIncompatibility(with value: ValueModel) -> String?

    /// Generated tokens to 16 kHz audio, the clips spread over the cores, each moved toward the
    /// timbre of `request`'s prompt by `timbreMatch` (0: as sampled).
    func waveforms(of results: [SynthesisResult], request: SynthesisRequest, timbreMatch: Float) -> [Waveform]
}

/// A running batch of a speech model (continuous batching; `ARDM.SamplingSession`).
public protocol SpeechSession: AnyObject {
    var activeCount: Int { get }
    /// Adds a request; it gets its first token at the next `step`. Returns its slot.
    func admit(_ request: SynthesisRequest) -> Int
    /// Drops the request in `slot`.
    func cancel(slot: Int)
    /// One token for every request in the batch; returns the requests that finished.
    func step() -> [(slot: Int, result: SynthesisResult)]
}

extension SamplingSession: SpeechSession {}

extension SpeechModel {
    /// Samples `requests` together in one session until all are done.
    public func generate(_ requests: [SynthesisRequest], options: SamplingOptions,
                         guidance: SynthesisGuidance?) -> [SynthesisResult] {
        let session = makeSession(options: options, guidance: guidance)
        let slots = requests.map { session.admit($0) }
        var results = [Int: SynthesisResult]()
        while session.activeCount > 0 { for (slot, result) in session.step() { results[slot] = result } }
        return slots.map { results[$0]! }
    }
}

/// Why a well-formed request cannot be run by a particular model.
public enum SpeechModelError: Error, Equatable, CustomStringConvertible {
    /// Text plus prompt speech need more sequence positions than the model's sampler holds.
    case prefixTooLong(positions: Int, capacity: Int)

    public var description: String {
        switch self {
        case let .prefixTooLong(positions, capacity):
            return "text and prompt audio need \(positions) sequence positions; this model holds \(capacity) "
                + "(shorten the text or the prompt)"
        }
    }
}
