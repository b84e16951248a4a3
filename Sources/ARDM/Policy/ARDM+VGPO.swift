import Foundation
import NN

/// What one VGPO policy update measured (means over the points' elements).
public struct VGPOStepResult: Sendable, Codable {
    /// ‖ε_θ − ε_μ‖² of the LM-guided predictions: the KL proxy of Eq. 15.
    public var kl: Float
    /// ‖g‖², g = σ_t·(∇V + w_A·∇D): how hard the value (and discriminator) pull.
    public var guidance: Float
    /// KL(p_μ ‖ p_θ) of the stop head on the trajectories' stop rows.
    public var stopKL: Float
    public init(kl: Float, guidance: Float, stopKL: Float) { self.kl = kl; self.guidance = guidance; self.stopKL = stopKL }
}

extension ARDM {
    /// The policy update of Algorithm 3 (line 3, and line 8 with ADM) at `points` of the
    /// policy's own trajectories `batch`: minimises `w_KL·L_KL + L_VG` on the LM-guided
    /// prediction v_u + w·(v_c − v_u), as the paper trains with LM guidance on (Appendix B.2).
    ///
    /// `reference` is μ's guided prediction and stop probabilities at the same points and rows
    /// (`guidedPrediction` of the frozen base), `correction (N, D)` the ε-unit guidance
    /// σ_t·(∇V + w_A·∇D). The stop head is not part of the paper's loss; since the LM it reads
    /// is fine-tuned, `stopWeight` keeps its decisions near μ's by a KL on the stop rows.
    /// Accumulates gradients into `params.grads` (the caller zeroes them and steps).
    public func vgpoStep(_ batch: [ARDMExample], _ points: DiffusionPoints, reference: (v: [Float], stop: [Float]),
                         correction: [Float], objective: VGPOObjective, cfg w: Float, stopWeight: Float,
                         _ ws: ARDMTrainingWorkspace) -> VGPOStepResult {
        let pass = forwardAtPoints(batch, points, guidancePair: true, ws)
        let N = points.count, D = config.tokenWidth
        let v = guidedCombination(points: N, cfg: w, ws)
        var dv = [Float](repeating: 0, count: N * D)
        let terms = objective.gradient(v: v, reference: reference.v, correction: correction, times: points.points.map(\.time),
                                       D: D, into: &dv)
        // v = (1 − w)·v_u + w·v_c: each half gets its share of dL/dv.
        for i in 0..<(N * D) { ws.dPrediction[i] = w * dv[i]; ws.dPrediction[N * D + i] = (1 - w) * dv[i] }
        headBackwardToLM(pass, ws)
        var stopKL: Float = 0
        if stopWeight > 0 {
            let rows = pass.layout.stopRows(sequences: batch.count)
            let crossEntropy = stopLossAndGradient(rows: rows, targets: reference.stop, ws, weight: stopWeight)
            stopKL = crossEntropy - reference.stop.map(Self.bernoulliEntropy).reduce(0, +) / Float(rows.count)
        }
        lmBackward(pass, ws)
        return VGPOStepResult(kl: terms.kl, guidance: terms.guidance, stopKL: stopKL)
    }

    static func bernoulliEntropy(_ p: Float) -> Float {
        let q = min(max(p, 1e-7), 1 - 1e-7)
        return -(q * log(q) + (1 - q) * log(1 - q))
    }
}
