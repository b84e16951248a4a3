import ARDM
import Foundation

/// A value model folder as guidance needs it: the model and what its output means.
public struct ValueModelFile: Sendable {
    public let model: ARDM
    /// The reward it predicts (provenance "reward"), if recorded.
    public let reward: String?
    /// Raw reward units per unit of its output (provenance "reward_std"; 1 if absent).
    public let rewardStd: Float

    public static func load(from folder: URL) throws -> ValueModelFile {
        let (model, file) = try ARDM.load(from: folder)
        guard model.config.isValueModel else {
            throw ARDMCheckpointError.notAModel(path: folder.path, reason: "it is a speech model, not a value model")
        }
        return ValueModelFile(model: model, reward: file.provenance["reward"],
                              rewardStd: file.provenance["reward_std"].flatMap(Float.init) ?? 1)
    }
}
