/// Saved activations and backward scratch of a `CausalTransformer` for up to `maxRows = B·T`
/// rows and sequences up to `maxT`: one slab, named views laid out by a `Layout`.
public final class TransformerActivations: @unchecked Sendable {
    public let maxRows: Int, maxT: Int, maxB: Int
    let slab: Slab
    let layer: [LayerViews]
    /// residual[l]: input of block l (B, T, C); residual[L] is the last block's output.
    let residual: [FloatPointer]
    let normOut: FloatPointer, normRstd: FloatPointer       // (B, T, C), (B, T)
    // Backward scratch, shared by all layers.
    let dResidual: FloatPointer, dNormed: FloatPointer     // (B, T, C) each
    let dQKV: FloatPointer, dAttY: FloatPointer            // (B, T, 3C), (B, T, C)
    let dFC: FloatPointer, dAct: FloatPointer              // (B, T, inner), (B, T, hidden)
    let attentionScratch: FloatPointer
    /// Positions of the current forward's rows (B·T), kept for backward.
    var positions: [Int32]
    var B = 0, T = 0

    struct LayerViews {
        let norm1, rstd1, qkv, qk, att, attY, mid, norm2, rstd2, fc, act: FloatPointer
    }

    public init(config: TransformerConfig, maxB: Int, maxT: Int) {
        let (C, NH, L) = (config.channels, config.heads, config.layers)
        let rows = maxB * maxT
        self.maxRows = rows; self.maxT = maxT; self.maxB = maxB
        var layout = Layout()
        for l in 0...L { layout.add("residual.\(l)", [rows, C]) }
        for l in 0..<L {
            let p = "layer.\(l)."
            layout.add(p + "norm1", [rows, C]); layout.add(p + "rstd1", [rows])
            layout.add(p + "qkv", [rows, 3 * C]); layout.add(p + "qk", [rows, 2 * C])
            layout.add(p + "att", [maxB, NH, maxT, maxT]); layout.add(p + "attY", [rows, C])
            layout.add(p + "mid", [rows, C])
            layout.add(p + "norm2", [rows, C]); layout.add(p + "rstd2", [rows])
            layout.add(p + "fc", [rows, config.mlpInner]); layout.add(p + "act", [rows, config.mlpHidden])
        }
        layout.add("normOut", [rows, C]); layout.add("normRstd", [rows])
        layout.add("dResidual", [rows, C]); layout.add("dNormed", [rows, C])
        layout.add("dQKV", [rows, 3 * C]); layout.add("dAttY", [rows, C])
        layout.add("dFC", [rows, config.mlpInner]); layout.add("dAct", [rows, config.mlpHidden])
        layout.add("attentionScratch", [AttentionShape(B: maxB, T: maxT, C: C, NH: NH).backwardScratchCount])
        let slab = Slab(count: layout.count)
        func view(_ name: String) -> FloatPointer { slab.pointer(at: layout.offset(name)) }
        self.slab = slab
        residual = (0...L).map { view("residual.\($0)") }
        layer = (0..<L).map { l in
            let p = "layer.\(l)."
            return LayerViews(
                norm1: view(p + "norm1"), rstd1: view(p + "rstd1"), qkv: view(p + "qkv"), qk: view(p + "qk"),
                att: view(p + "att"), attY: view(p + "attY"), mid: view(p + "mid"), norm2: view(p + "norm2"),
                rstd2: view(p + "rstd2"), fc: view(p + "fc"), act: view(p + "act"))
        }
        normOut = view("normOut"); normRstd = view("normRstd")
        dResidual = view("dResidual"); dNormed = view("dNormed"); dQKV = view("dQKV"); dAttY = view("dAttY")
        dFC = view("dFC"); dAct = view("dAct"); attentionScratch = view("attentionScratch")
        positions = []
    }

    /// Where a caller writes the (B, T, C) input embeddings before `forward`.
    public var input: FloatPointer { residual[0] }
    /// The (B, T, C) output hidden states after `forward`.
    public var output: FloatPointer { normOut }
    /// After `backward`, the gradient w.r.t. the input embeddings (B, T, C).
    public var inputGradient: FloatPointer { dResidual }
}
