import Audio

/// The one reward interface (DESIGN §8), used by the server's scoring and best-of-K, by value
/// training and by evaluation.
///
/// A reward scores a batch of 16 kHz mono clips. Some need more than the audio: the CTC
/// likelihood and PER need the target text (or its phonemes), SIM needs the prompt audio; a
/// missing input is a `RewardError.missingInput` naming the reward, the input and the item.
public protocol Reward: Sendable {
    var name: RewardName { get }
    var direction: RewardDirection { get }
    /// Inputs besides the audio that every item must carry.
    var requiredInputs: [RewardInputKind] { get }
    /// One score per input, in order.
    func score(_ inputs: [RewardInput]) throws(RewardError) -> [RewardScore]
}

/// Names of the rewards and metrics, as they appear in configs, JSON and the HTTP API.
public enum RewardName: String, Codable, Sendable, CaseIterable {
    /// Task A: F0 variance, Hz.
    case f0v
    /// Task B: per-phoneme CTC likelihood exp(−NLL / phonemes), in (0, 1).
    case ctcLikelihood = "ctc_likelihood"
    /// Phoneme error rate of greedy CTC decoding against the target phonemes.
    case per
    /// Cosine similarity of speaker embeddings of the audio and the prompt.
    case sim
}

public enum RewardDirection: String, Codable, Sendable {
    case higherIsBetter = "higher_is_better"
    case lowerIsBetter = "lower_is_better"

    /// The reward with its sign set so that larger is always better (for ranking, best-of-K).
    public func oriented(_ value: Double) -> Double { self == .higherIsBetter ? value : -value }
}

/// One clip to score and what comes with it.
public struct RewardInput: Sendable {
    /// Mono samples at 16 kHz (`Audio.internalSampleRate`).
    public var audio: [Float]
    /// The text the clip should say.
    public var text: String?
    /// The phoneme-vocabulary ids of that text, when the caller has them (they win over `text`).
    public var phonemeIDs: [Int32]?
    /// The voice prompt the clip should sound like, 16 kHz mono.
    public var promptAudio: [Float]?

    public init(audio: [Float], text: String? = nil, phonemeIDs: [Int32]? = nil, promptAudio: [Float]? = nil) {
        self.audio = audio; self.text = text; self.phonemeIDs = phonemeIDs; self.promptAudio = promptAudio
    }

    /// An input for audio from outside (uploads, files, the clips a client receives), the clip
    /// and the prompt first made like the corpus's audio (`CorpusConditioning`): the recogniser
    /// and the speaker encoder learned from trimmed, −20 dBFS audio only. Evaluation scores
    /// Griffin-Lim output at corpus level as it is (`init`), so its records stay comparable.
    public static func likeCorpus(audio: [Float], text: String?, promptAudio: [Float]?) -> RewardInput {
        likeCorpus(clips: [audio], text: text, promptAudio: promptAudio)[0]
    }

    /// The same for several clips of one text and prompt (best-of-K's candidates): the prompt is
    /// conditioned once.
    public static func likeCorpus(clips: [[Float]], text: String?, promptAudio: [Float]?) -> [RewardInput] {
        let prompt = promptAudio.map { CorpusConditioning.apply($0, sampleRate: internalSampleRate) }
        return clips.map { RewardInput(audio: CorpusConditioning.apply($0, sampleRate: internalSampleRate), text: text, promptAudio: prompt) }
    }

    /// Whether this input carries `kind` (what `validate` checks against `requiredInputs`).
    public func has(_ kind: RewardInputKind) -> Bool {
        switch kind {
        case .text: return text != nil || phonemeIDs != nil
        case .promptAudio: return promptAudio != nil
        }
    }
}

/// A reward value and the numbers behind it (e.g. "nll", "phonemes" for the CTC likelihood).
public struct RewardScore: Sendable, Equatable, Codable {
    public var value: Double
    public var details: [String: Double]
    public init(value: Double, details: [String: Double] = [:]) { self.value = value; self.details = details }
}

extension Reward {
    /// Throws for the first item that lacks a required input or has no audio.
    public func validate(_ inputs: [RewardInput]) throws(RewardError) {
        for (i, input) in inputs.enumerated() {
            guard !input.audio.isEmpty else { throw .unusableAudio(reward: name.rawValue, item: i, reason: "no samples") }
            for kind in requiredInputs where !input.has(kind) {
                throw .missingInput(reward: name.rawValue, input: kind, item: i)
            }
        }
    }
}
