import ARDM
import Foundation
import Guidance

/// A loaded value model (DESIGN §7): an ARDM whose diffusion head outputs the scalar
/// V(x_<n, x_n^t, t), estimating the reward a sample will get, with what its folder says about
/// that reward. It guides sampling (Algorithm 2) only; the guide that follows a batch's
/// sequences lives with each speech model (`ARDMSpeechModel`), as it holds per-batch state.
///
/// A class, so that jobs can tell by identity whether they carry the same value model.
public final class ValueModel: Sendable {
    public let file: ValueModelFile

    public init(file: ValueModelFile) {
        self.file = file
    }

    /// Loads a value model folder written by `vgpo-train value` (`model.safetensors` +
    /// `config.json` with a value head); a text-to-speech model folder is refused.
    public static func load(from path: String) throws -> ValueModel {
        ValueModel(file: try ValueModelFile.load(from: URL(fileURLWithPath: path)))
    }

    public var model: ARDM { file.model }

    /// The reward V estimates, when the folder records it.
    public var reward: String? { file.reward }
}
