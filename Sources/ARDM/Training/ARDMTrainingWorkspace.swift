import NN

/// Buffers for training steps of up to `maxB` sequences of up to `maxT` positions, with `K`
/// diffusion times drawn per speech token (only the head runs again for each).
public final class ARDMTrainingWorkspace: @unchecked Sendable {
    public let maxB: Int, maxT: Int, timesPerToken: Int
    let lmActs: TransformerActivations
    let headActs: HeadActivations
    let slab: Slab
    let speechIn: FloatPointer        // (maxRows, D)  clean speech tokens in LM-input order
    let speechProj: FloatPointer      // (maxRows, C)
    let dLMOut: FloatPointer          // (B, T, C)     gradient w.r.t. the LM output
    let dSpeechProj: FloatPointer     // (maxRows, C)
    let condRows: FloatPointer        // (K·maxRows, C) LM states fed to the head
    let dCondRows: FloatPointer       // (K·maxRows, C)
    let noisy, target, times, dPrediction: FloatPointer   // (K·maxRows, D), (K·maxRows, D), (K·maxRows), (K·maxRows, D)
    let stopLogits, stopTargets, dStop: FloatPointer      // (maxRows) each
    let auxLogits, auxProbs, dAux: FloatPointer           // (maxRows, A) each

    public init(model: ARDM, maxB: Int, maxT: Int, timesPerToken K: Int) {
        self.maxB = maxB; self.maxT = maxT; timesPerToken = K
        let rows = maxB * maxT, C = model.config.lm.channels, D = model.config.tokenWidth
        let A = max(model.config.auxiliaryPhones, 1)
        lmActs = TransformerActivations(config: model.config.lm, maxB: maxB, maxT: maxT)
        headActs = HeadActivations(head: model.head, maxRows: K * rows)
        var layout = Layout()
        for (name, shape) in [("speechIn", [rows, D]), ("speechProj", [rows, C]), ("dLMOut", [rows, C]),
                              ("dSpeechProj", [rows, C]), ("condRows", [K * rows, C]), ("dCondRows", [K * rows, C]),
                              ("noisy", [K * rows, D]), ("target", [K * rows, D]), ("times", [K * rows]),
                              ("dPrediction", [K * rows, D]), ("stopLogits", [rows]), ("stopTargets", [rows]),
                              ("dStop", [rows]), ("auxLogits", [rows, A]), ("auxProbs", [rows, A]), ("dAux", [rows, A])] {
            layout.add(name, shape)
        }
        let slab = Slab(count: layout.count)
        self.slab = slab
        func v(_ n: String) -> FloatPointer { slab.pointer(at: layout.offset(n)) }
        speechIn = v("speechIn"); speechProj = v("speechProj"); dLMOut = v("dLMOut"); dSpeechProj = v("dSpeechProj")
        condRows = v("condRows"); dCondRows = v("dCondRows"); noisy = v("noisy"); target = v("target"); times = v("times")
        dPrediction = v("dPrediction"); stopLogits = v("stopLogits"); stopTargets = v("stopTargets"); dStop = v("dStop")
        auxLogits = v("auxLogits"); auxProbs = v("auxProbs"); dAux = v("dAux")
    }
}
