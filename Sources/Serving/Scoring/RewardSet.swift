import Rewards

/// The rewards the server can compute now (DESIGN §8): F0V always (it needs only the audio), the
/// CTC likelihood and PER when a CTC recogniser is loaded, SIM when a speaker encoder is.
///
/// Reward inference allocates its activations per call and only reads the weights, so request
/// threads score concurrently without going through the scheduler.
public struct RewardSet: Sendable {
    private let rewards: [RewardName: any Reward]

    /// F0V alone: what a server without reward models computes.
    public init() {
        rewards = [.f0v: F0VReward()]
    }

    /// F0V plus the rewards of `models`; each reward may come from one model only.
    init(models: [(name: String, model: RewardModel)]) throws {
        var rewards: [RewardName: any Reward] = [.f0v: F0VReward()]
        var providers: [RewardName: String] = [:]
        for (name, model) in models {
            for reward in model.rewards {
                if let other = providers[reward.name] {
                    throw RewardSetError.duplicate(reward: reward.name, model: name, otherModel: other)
                }
                providers[reward.name] = name
                rewards[reward.name] = reward
            }
        }
        self.rewards = rewards
    }

    /// The rewards available, in `RewardName` order.
    public var available: [RewardName] { RewardName.allCases.filter { rewards[$0] != nil } }

    public var directions: [RewardName: RewardDirection] { rewards.mapValues(\.direction) }

    /// The rewards of `names` that no loaded model provides.
    func missing(_ names: [RewardName]) -> [RewardName] { names.filter { rewards[$0] == nil } }

    /// What a reward needs loaded, for messages that tell the operator what to configure.
    static func modelNeeded(for name: RewardName) -> String {
        switch name {
        case .f0v: return "no model"
        case .ctcLikelihood, .per: return "a CTC recogniser (a model of kind \"reward\" such as models/ctc)"
        case .sim: return "a speaker encoder (a model of kind \"reward\" such as models/speaker)"
        }
    }

    /// Every reward (available or not) on a batch of clips. A reward that lacks a model, lacks an
    /// input for some clip, or refuses the batch is skipped for the whole batch, with the reason.
    func score(_ inputs: [RewardInput]) -> RewardScores {
        var result = RewardScores(scores: Array(repeating: [:], count: inputs.count), skipped: [:])
        for name in RewardName.allCases {
            guard let reward = rewards[name] else {
                result.skipped[name] = "not loaded: needs \(Self.modelNeeded(for: name))"
                continue
            }
            if let lacking = reward.requiredInputs.first(where: { kind in inputs.contains { !$0.has(kind) } }) {
                result.skipped[name] = Self.missingInputReason(lacking)
                continue
            }
            do {
                for (i, score) in try reward.score(inputs).enumerated() { result.scores[i][name] = score }
            } catch {
                result.skipped[name] = "\(error)"
            }
        }
        return result
    }

    private static func missingInputReason(_ kind: RewardInputKind) -> String {
        switch kind {
        case .text: return "no text given (the words the audio should say)"
        case .promptAudio: return "no prompt audio given (the voice the audio should sound like)"
        }
    }
}

/// The scores of a batch of clips: one dictionary per clip, and the rewards skipped for all.
struct RewardScores {
    var scores: [[RewardName: RewardScore]]
    var skipped: [RewardName: String]
}

/// Why a set of reward models cannot be served together.
enum RewardSetError: Error, CustomStringConvertible {
    case duplicate(reward: RewardName, model: String, otherModel: String)

    var description: String {
        switch self {
        case let .duplicate(reward, model, otherModel):
            return "'\(model)' provides \(reward.rawValue), which '\(otherModel)' already provides; "
                + "load one reward model per reward"
        }
    }
}
