import NN

/// Buffers for training steps of up to `maxB` sequences of up to `maxT` positions, with `K`
/// diffusion times drawn per speech token (only the head runs again for each). Steps that run
/// the head only at a few points per sequence (`DiffusionPoints`) size it by `headRows`.
public final class ARDMTrainingWorkspace: @unchecked Sendable {
    public let maxB: Int, maxT: Int, timesPerToken: Int
    /// Rows the head can run on at once.
    public let headRows: Int
    /// The shapes the buffers were sized for (`fits`).
    let sizedFor: ARDMConfig, headOutputWidth: Int
    let lmActs: TransformerActivations
    let headActs: HeadActivations
    let slab: Slab
    let speechIn: FloatPointer        // (maxRows, D)  clean speech tokens in LM-input order
    let speechHistory: FloatPointer   // (maxRows, D)  the same with history noise, when trained with it
    let speechProj: FloatPointer      // (maxRows, C)
    let dLMOut: FloatPointer          // (B, T, C)     gradient w.r.t. the LM output
    let dSpeechProj: FloatPointer     // (maxRows, C)
    let condRows: FloatPointer        // (H, C) LM states fed to the head, H = headRows or K·maxRows
    let dCondRows: FloatPointer       // (H, C)
    let noisy, target, times, dPrediction: FloatPointer   // (H, D), (H, D), (H), (H, D)
    let stopLogits, stopTargets, dStop: FloatPointer      // (maxRows) each
    let auxLogits, auxProbs, dAux: FloatPointer           // (maxRows, A) each

    public init(model: ARDM, maxB: Int, maxT: Int, timesPerToken K: Int, headRows: Int? = nil) {
        self.maxB = maxB; self.maxT = maxT; timesPerToken = K
        sizedFor = model.config; headOutputWidth = model.head.outputWidth
        let rows = maxB * maxT, C = model.config.lm.channels, D = model.config.tokenWidth
        let A = max(model.config.auxiliaryPhones, 1), H = headRows ?? K * rows
        self.headRows = H
        lmActs = TransformerActivations(config: model.config.lm, maxB: maxB, maxT: maxT)
        headActs = HeadActivations(head: model.head, maxRows: H)
        var layout = Layout()
        for (name, shape) in [("speechIn", [rows, D]), ("speechHistory", [rows, D]), ("speechProj", [rows, C]), ("dLMOut", [rows, C]),
                              ("dSpeechProj", [rows, C]), ("condRows", [H, C]), ("dCondRows", [H, C]),
                              ("noisy", [H, D]), ("target", [H, D]), ("times", [H]),
                              ("dPrediction", [H, D]), ("stopLogits", [rows]), ("stopTargets", [rows]),
                              ("dStop", [rows]), ("auxLogits", [rows, A]), ("auxProbs", [rows, A]), ("dAux", [rows, A])] {
            layout.add(name, shape)
        }
        let slab = Slab(count: layout.count)
        self.slab = slab
        func v(_ n: String) -> FloatPointer { slab.pointer(at: layout.offset(n)) }
        speechIn = v("speechIn"); speechHistory = v("speechHistory"); speechProj = v("speechProj"); dLMOut = v("dLMOut"); dSpeechProj = v("dSpeechProj")
        condRows = v("condRows"); dCondRows = v("dCondRows"); noisy = v("noisy"); target = v("target"); times = v("times")
        dPrediction = v("dPrediction"); stopLogits = v("stopLogits"); stopTargets = v("stopTargets"); dStop = v("dStop")
        auxLogits = v("auxLogits"); auxProbs = v("auxProbs"); dAux = v("dAux")
    }

    /// Whether `model` can run its steps in these buffers: the same LM, head and token shapes,
    /// and no more head outputs or phone classes, so a value model (one output, no phone head)
    /// fits the workspace of the speech model it was made from.
    public func fits(_ model: ARDM) -> Bool {
        let theirs = model.config
        return theirs.lm == sizedFor.lm && theirs.head == sizedFor.head && theirs.tokenWidth == sizedFor.tokenWidth
            && model.head.outputWidth <= headOutputWidth && max(theirs.auxiliaryPhones, 1) <= max(sizedFor.auxiliaryPhones, 1)
    }
}
