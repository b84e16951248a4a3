import ARDM
import Foundation
import Training

/// The model a benchmark runs: a model folder, or, without one, random weights in the shapes of
/// a pre-training recipe (speed does not depend on the weights).
func benchModel(folder: String?, recipe: String) throws -> ARDM {
    if let folder { return try ARDM.load(from: URL(fileURLWithPath: folder)).0 }
    let r = try PretrainConfig.load(recipe)
    let model = ARDM(config: ARDMConfig(textVocabulary: 180, lm: r.model.lm, head: r.model.head, melBins: r.model.melBins,
                                        patchFrames: r.model.patchFrames))
    model.initialize(seed: 1)
    return model
}
