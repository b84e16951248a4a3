import NN

/// Saved activations and backward scratch of a `DiffusionHead` for up to `maxRows` rows.
public final class HeadActivations: @unchecked Sendable {
    public let maxRows: Int
    let slab: Slab
    var rows = 0
    /// Conditioning path and adaLN modulations of these rows.
    public let conditioning: HeadConditioning
    // Trunk: x[0] is the input projection, x[i + 1] the output of block i.
    let x: [FloatPointer]
    let blocks: [BlockViews]
    let finalNorm, finalMean, finalRstd, finalModulated: FloatPointer
    /// (N, out): the head's prediction after `forward`.
    public let output: FloatPointer
    // Backward scratch.
    let dX, dCond, dCondAct, dMod, dModulated, dAct, dFC1, dNorm, dTimeAct, dTimeHidden: FloatPointer

    struct BlockViews { let mod, norm, mean, rstd, modulated, fc1, act, fc2: FloatPointer }   // mod: in `conditioning`

    public init(head: DiffusionHead, maxRows n: Int) {
        maxRows = n
        let W = head.config.width
        var layout = Layout()
        let conditioning = HeadConditioning(head: head, maxRows: n)
        self.conditioning = conditioning
        for (name, width) in [("finalNorm", W), ("finalMean", 1), ("finalRstd", 1),
                              ("finalModulated", W), ("output", head.outputWidth),
                              ("dX", W), ("dCond", W), ("dCondAct", W), ("dMod", 3 * W), ("dModulated", W),
                              ("dAct", W), ("dFC1", W), ("dNorm", W), ("dTimeAct", W), ("dTimeHidden", W)] {
            layout.add(name, [n, width])
        }
        for i in 0...head.config.blocks { layout.add("x.\(i)", [n, W]) }
        for i in 0..<head.config.blocks {
            for (name, width) in [("norm", W), ("mean", 1), ("rstd", 1), ("modulated", W), ("fc1", W), ("act", W), ("fc2", W)] {
                layout.add("block.\(i).\(name)", [n, width])
            }
        }
        let slab = Slab(count: layout.count)
        self.slab = slab
        func v(_ name: String) -> FloatPointer { slab.pointer(at: layout.offset(name)) }
        finalNorm = v("finalNorm"); finalMean = v("finalMean")
        finalRstd = v("finalRstd"); finalModulated = v("finalModulated"); output = v("output")
        dX = v("dX"); dCond = v("dCond"); dCondAct = v("dCondAct"); dMod = v("dMod"); dModulated = v("dModulated")
        dAct = v("dAct"); dFC1 = v("dFC1"); dNorm = v("dNorm"); dTimeAct = v("dTimeAct"); dTimeHidden = v("dTimeHidden")
        x = (0...head.config.blocks).map { v("x.\($0)") }
        blocks = (0..<head.config.blocks).map { i in
            BlockViews(mod: conditioning.blockMods[i], norm: v("block.\(i).norm"), mean: v("block.\(i).mean"),
                       rstd: v("block.\(i).rstd"), modulated: v("block.\(i).modulated"), fc1: v("block.\(i).fc1"),
                       act: v("block.\(i).act"), fc2: v("block.\(i).fc2"))
        }
    }
}
