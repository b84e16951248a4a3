/// Why a reward could not be computed. Each case names the reward and what is wrong, so the
/// server can answer 422 with a message a user can act on.
public enum RewardError: Error, Equatable, CustomStringConvertible {
    /// The reward needs an input the request did not give (e.g. "text" for the CTC likelihood,
    /// "prompt audio" for SIM); `item` is the index in the batch.
    case missingInput(reward: String, input: RewardInputKind, item: Int)
    /// The audio cannot be scored (empty, too short, too long, wrong rate).
    case unusableAudio(reward: String, item: Int, reason: String)
    /// The text has no phonemes the recogniser knows (empty after phonemisation).
    case unusableText(reward: String, item: Int, reason: String)
    /// The model files are missing or do not match.
    case modelUnavailable(reward: String, reason: String)
    case unknownReward(String)

    public var description: String {
        switch self {
        case .missingInput(let r, let input, let item): return "reward '\(r)' needs \(input.rawValue) (missing for item \(item))"
        case .unusableAudio(let r, let item, let why): return "reward '\(r)' cannot score the audio of item \(item): \(why)"
        case .unusableText(let r, let item, let why): return "reward '\(r)' cannot use the text of item \(item): \(why)"
        case .modelUnavailable(let r, let why): return "reward '\(r)' has no usable model: \(why)"
        case .unknownReward(let name): return "unknown reward '\(name)' (known: \(RewardName.allCases.map(\.rawValue).joined(separator: ", ")))"
        }
    }
}

/// The inputs a reward may need besides the audio.
public enum RewardInputKind: String, Codable, Sendable, CaseIterable {
    case text = "target text or phonemes"
    case promptAudio = "prompt audio"
}
