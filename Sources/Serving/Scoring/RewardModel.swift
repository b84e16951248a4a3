import Foundation
import Rewards

/// A loaded reward model folder (kind `reward` in the config) and the rewards it provides: a CTC
/// phoneme recogniser gives the CTC likelihood and PER, a speaker encoder gives SIM (DESIGN §8).
/// F0V needs no model and is always available (`RewardSet`).
public struct RewardModel: Sendable {
    public let rewards: [any Reward]

    public var provides: [RewardName] { rewards.map(\.name) }

    /// Tells the two kinds apart by which loader accepts the folder: their config.json files
    /// share no set of required fields, so at most one decodes. When neither does, both
    /// loaders' reasons are reported.
    public static func load(from path: String) throws -> RewardModel {
        let folder = URL(fileURLWithPath: path)
        let recognizerError: Error
        do {
            let recognizer = try CTCRecognizer.load(from: folder)
            // One recogniser serves both: the likelihood and PER read the same network.
            return RewardModel(rewards: [CTCLikelihoodReward(recognizer: recognizer),
                                         PhonemeErrorRateMetric(recognizer: recognizer)])
        } catch {
            recognizerError = error
        }
        do {
            return RewardModel(rewards: [SpeakerSimilarityReward(encoder: try SpeakerEncoder.load(from: folder))])
        } catch {
            throw RewardModelError.unrecognised(path: path, asRecognizer: "\(recognizerError)", asSpeakerEncoder: "\(error)")
        }
    }
}

/// Why a folder could not be loaded as a reward model.
public enum RewardModelError: Error, CustomStringConvertible {
    case unrecognised(path: String, asRecognizer: String, asSpeakerEncoder: String)

    public var description: String {
        switch self {
        case let .unrecognised(path, asRecognizer, asSpeakerEncoder):
            return "\(path) is neither a CTC recogniser (\(asRecognizer)) nor a speaker encoder (\(asSpeakerEncoder))"
        }
    }
}
