import NN

/// The part of a diffusion head's computation that does not depend on the noisy token: the
/// time MLP, the LM-state projection and every adaLN modulation, for up to `maxRows` rows.
///
/// A sampler knows every (t, h) of a token before its first denoising step, so it computes
/// these for all steps in one batched pass (weights read once instead of once per step) and
/// the per-step trunk reads its rows from here: at batch 1 that halves the head's cost.
public final class HeadConditioning: @unchecked Sendable {
    public let maxRows: Int
    let slab: Slab
    let scaledTimes, timeEmbedding, timeHidden, timeAct, cond, condAct: FloatPointer   // (N), (N, F), (N, W) ×4
    /// Per block, (N, 3W): [shift | scale | gate] of its adaLN.
    let blockMods: [FloatPointer]
    /// (N, 2W): [shift | scale] of the final adaLN.
    let finalMod: FloatPointer

    public init(head: DiffusionHead, maxRows n: Int) {
        maxRows = n
        let W = head.config.width, F = head.config.timeFrequencies
        var layout = Layout()
        for (name, width) in [("scaledTimes", 1), ("timeEmbedding", F), ("timeHidden", W), ("timeAct", W), ("cond", W),
                              ("condAct", W), ("finalMod", 2 * W)] {
            layout.add(name, [n, width])
        }
        for i in 0..<head.config.blocks { layout.add("block.\(i).mod", [n, 3 * W]) }
        let slab = Slab(count: layout.count)
        self.slab = slab
        func v(_ name: String) -> FloatPointer { slab.pointer(at: layout.offset(name)) }
        scaledTimes = v("scaledTimes"); timeEmbedding = v("timeEmbedding"); timeHidden = v("timeHidden")
        timeAct = v("timeAct"); cond = v("cond"); condAct = v("condAct"); finalMod = v("finalMod")
        blockMods = (0..<head.config.blocks).map { v("block.\($0).mod") }
    }

    /// Copies rows `from ..< from + N` of `source` into rows 0 ..< N here (the modulations only:
    /// what the trunk's forward and input-gradient backward read).
    func copyModulations(from source: HeadConditioning, row from: Int, N: Int, width W: Int) {
        for (dst, src) in zip(blockMods, source.blockMods) { dst.update(from: src + from * 3 * W, count: N * 3 * W) }
        finalMod.update(from: source.finalMod + from * 2 * W, count: N * 2 * W)
    }
}
