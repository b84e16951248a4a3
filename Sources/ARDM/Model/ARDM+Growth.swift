import NN

/// Growing a trained model deeper: more LM layers on top of its stack, more diffusion-head
/// blocks after its blocks, every other tensor as it was. The added layers start as the
/// identity on their residual stream (the LM's output projections at zero; the head's adaLN
/// modulations are zero from `initialize`, DiT's adaLN-Zero), so the grown model computes
/// what the trained one did and training continues from there with more capacity instead of
/// starting over. The pre-training of a small CPU model can so be extended step by step.
extension ARDMConfig {
    /// Whether a model of this config can start from weights of `source`: the same in
    /// everything but at least as many LM layers and head blocks, and more of one of them.
    public func grows(from source: ARDMConfig) -> Bool {
        guard lm.layers >= source.lm.layers, head.blocks >= source.head.blocks, self != source else { return false }
        var shrunk = self
        shrunk.lm.layers = source.lm.layers; shrunk.head.blocks = source.head.blocks
        return shrunk == source
    }
}

extension ARDM {
    /// Fresh weights (`seed`) for the added layers, `source`'s for everything it has.
    public func grow(from source: ARDM, seed: UInt64) {
        precondition(config.grows(from: source.config), "this model does not grow from the source's config")
        initialize(seed: seed)
        for entry in source.params.layout.entries {
            guard let target = params.layout.entry(entry.name), target.shape == entry.shape else {
                preconditionFailure("grown model lacks \(entry.name) \(entry.shape)")
            }
            params.values.pointer(at: target.offset).update(from: source.params.values.pointer(at: entry.offset), count: entry.count)
        }
        lm.zeroResidualOutputs(blocks: source.config.lm.layers..<config.lm.layers, params)
    }
}
