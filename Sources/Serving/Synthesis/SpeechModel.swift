import ARDM
import Audio

/// A loaded text-to-speech model as the server drives it, in three stages:
/// the front end (`prepare`) and the vocoder (`waveform`) are pure functions of their input and
/// may run on any request's thread; `generate` owns mutable sampler state (KV cache, workspaces)
/// and is called only by the scheduler's worker thread (STYLE, "Servers").
public protocol SpeechModel: AnyObject, Sendable {
    /// Seconds of audio per generated speech token.
    var secondsPerToken: Double { get }

    /// Text and prompt voice to a sampler request. Throws `TextError` for text that cannot be
    /// spoken and `SpeechModelError` for a request that does not fit the model.
    func prepare(text: String, promptText: String, promptAudio: [Float], seed: UInt64,
                 maxSeconds: Double) throws -> SynthesisRequest

    /// Samples a batch of requests together with shared options and, when given, value guidance
    /// (scheduler thread only).
    func generate(_ requests: [SynthesisRequest], options: SamplingOptions,
                  guidance: SynthesisGuidance?) -> [SynthesisResult]

    /// Why `value` cannot guide this model (a sentence for a 422), or nil when it can. Called on
    /// request threads before any job is queued, so the worker never meets a mismatch.
    func guidanceIncompatibility(with value: ValueModel) -> String?

    /// Generated tokens to 16 kHz audio.
    func waveform(of result: SynthesisResult) -> Waveform
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
