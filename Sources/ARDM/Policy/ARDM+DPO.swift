import Foundation
import NN

/// What one DPO step measured.
public struct DPOStepResult: Sendable, Codable {
    public var loss: Float
    /// Fraction of pairs whose winner the policy already denoises better, relative to the
    /// reference, than the loser (the implicit reward's accuracy).
    public var accuracy: Float
    public init(loss: Float, accuracy: Float) { self.loss = loss; self.accuracy = accuracy }
}

extension ARDM {
    /// The denoising error α_t²·mean_d (v̂ − v)² = mean_d (ε̂ − ε)² of the conditional model at
    /// every point (no gradients): the reference's half of Diffusion-DPO.
    public func denoisingErrors(_ batch: [ARDMExample], _ points: DiffusionPoints, _ ws: ARDMTrainingWorkspace) -> [Float] {
        _ = forwardAtPoints(batch, points, guidancePair: false, ws)
        return pointErrors(batch, points, ws)
    }

    /// Diffusion-DPO (Wallace et al. 2024) for an ARDM, the paper's ARDM-DPO baseline: `batch`
    /// holds P winners followed by their P losers (pair p = sequences p and P + p, rollouts of one
    /// prompt ranked by the reward). With Δ_b the mean over sequence b's points of the policy's
    /// denoising error minus the reference's (`referenceErrors`, same points),
    ///   L = mean_p softplus(β·(Δ_p − Δ_{P+p})):
    /// the policy is pushed to denoise winners better and losers worse than the reference.
    /// The conditional model is trained (LM guidance is applied at sampling). Accumulates
    /// gradients into `params.grads`.
    public func dpoStep(_ batch: [ARDMExample], _ points: DiffusionPoints, referenceErrors: [Float], beta: Float,
                        _ ws: ARDMTrainingWorkspace) -> DPOStepResult {
        precondition(batch.count % 2 == 0, "DPO needs winners followed by as many losers")
        let P = batch.count / 2
        let pass = forwardAtPoints(batch, points, guidancePair: false, ws)
        let errors = pointErrors(batch, points, ws)
        var delta = [Float](repeating: 0, count: batch.count), counts = [Float](repeating: 0, count: batch.count)
        for (j, p) in points.points.enumerated() {
            delta[p.sequence] += errors[j] - referenceErrors[j]; counts[p.sequence] += 1
        }
        for b in delta.indices { delta[b] /= counts[b] }
        var loss: Float = 0, correct: Float = 0, dDelta = [Float](repeating: 0, count: batch.count)
        for p in 0..<P {
            let s = beta * (delta[p] - delta[P + p])
            loss += s > 0 ? s + log1p(exp(-s)) : log1p(exp(s))
            if delta[p] < delta[P + p] { correct += 1 }
            let g = fastSigmoid(s) * beta / Float(P)
            dDelta[p] = g; dDelta[P + p] = -g
        }
        let D = config.tokenWidth
        for (j, p) in points.points.enumerated() {
            let scale = dDelta[p.sequence] / counts[p.sequence]
            for i in j * D..<(j + 1) * D { ws.dPrediction[i] *= scale }
        }
        backwardFromPoints(pass, ws)
        return DPOStepResult(loss: loss / Float(P), accuracy: correct / Float(P))
    }

    /// Each point's α²·mean_d (v̂ − v)² from the head output in `ws`, and its derivative with
    /// respect to the head output into `ws.dPrediction` (which `dpoStep` scales per point).
    private func pointErrors(_ batch: [ARDMExample], _ points: DiffusionPoints, _ ws: ARDMTrainingWorkspace) -> [Float] {
        let D = config.tokenWidth, clean = points.cleanTokens(batch, tokenWidth: D), out = ws.headActs.output
        return points.points.enumerated().map { j, p in
            let a = NoiseSchedule.alpha(p.time), s = NoiseSchedule.sigma(p.time)
            var error: Float = 0
            for d in 0..<D {
                let i = j * D + d, diff = out[i] - (a * points.noise[i] - s * clean[i])
                error += diff * diff
                ws.dPrediction[i] = 2 * a * a * diff / Float(D)
            }
            return a * a * error / Float(D)
        }
    }
}
