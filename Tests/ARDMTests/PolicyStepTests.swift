import ARDM
import Foundation
import GradientChecking
import NN
import Testing

/// VGPO's and DPO's steps on a tiny ARDM: their gradients against finite differences.
@Suite struct PolicyStepTests {
    static func models() -> (reference: ARDM, policy: ARDM) {
        let reference = ValueModelTests.base()
        let policy = ARDM(config: reference.config)
        policy.params.values.base.update(from: reference.params.values.base, count: policy.params.values.count)
        var rng = RNG(seed: 21)
        for i in 0..<policy.params.values.count { policy.params.values.base[i] += 0.05 * rng.normal() }
        return (reference, policy)
    }

    static let batch = TinyModels.examples(count: 4, D: TinyModels.config().tokenWidth)

    static func points(perSequence: Int = 3) -> DiffusionPoints {
        var rng = RNG(seed: 22)
        return DiffusionPoints(batch: batch, perSequence: perSequence, tokenWidth: TinyModels.config().tokenWidth, rng: &rng)
    }

    /// The VG term has a stop-gradient inside, so it is not a loss of its own; its gradient is
    /// that of ⟨2·ε_θ, g⟩ (ε_θ = σ·x_t + α·v). The step's gradient is checked against
    /// w_KL·‖ε_θ − ε_μ‖² + ⟨2·ε_θ, g⟩ + w_stop·BCE(p_θ; p_μ), each a mean as in the step.
    @Test func vgpoStepGradients() {
        let (reference, policy) = Self.models()
        let points = Self.points(), D = policy.config.tokenWidth, N = points.count
        let ws = ARDMTrainingWorkspace(model: policy, maxB: 8, maxT: 20, timesPerToken: 1)
        let probe = ARDMTrainingWorkspace(model: policy, maxB: 8, maxT: 20, timesPerToken: 1)
        let ref = reference.guidedPrediction(Self.batch, points, cfg: 2, ws)
        var rng = RNG(seed: 23)
        let correction = (0..<(N * D)).map { _ in 0.3 * rng.normal() }
        let objective = VGPOObjective(klWeight: 0.7), stopWeight: Float = 0.5
        checkStepGradients(policy.params, skipping: { $0.hasPrefix("aux.") }) {
            let result = policy.vgpoStep(Self.batch, points, reference: ref, correction: correction, objective: objective,
                                         cfg: 2, stopWeight: stopWeight, ws)
            let (v, stop) = policy.guidedPrediction(Self.batch, points, cfg: 2, probe)
            var kl: Float = 0, linear: Float = 0
            for (j, p) in points.points.enumerated() {
                let a = NoiseSchedule.alpha(p.time)
                for d in 0..<D {
                    let i = j * D + d
                    kl += a * a * (v[i] - ref.v[i]) * (v[i] - ref.v[i])
                    linear += 2 * a * v[i] * correction[i]
                }
            }
            let bce = zip(stop, ref.stop).map { p, q in -(q * log(p) + (1 - q) * log(1 - p)) }.reduce(0, +) / Float(stop.count)
            #expect(abs(result.kl - kl / Float(N * D)) < 1e-4 * max(1, kl))
            return objective.klWeight * kl / Float(N * D) + linear / Float(N * D) + stopWeight * bce
        }
    }

    /// With the policy equal to the reference the KL proxy and the stop KL vanish.
    @Test func vgpoStartsAtZeroKL() {
        let (reference, _) = Self.models()
        let points = Self.points(), D = reference.config.tokenWidth
        let ws = ARDMTrainingWorkspace(model: reference, maxB: 8, maxT: 20, timesPerToken: 1)
        let ref = reference.guidedPrediction(Self.batch, points, cfg: 2, ws)
        let result = reference.vgpoStep(Self.batch, points, reference: ref, correction: [Float](repeating: 0, count: points.count * D),
                                        objective: VGPOObjective(klWeight: 1), cfg: 2, stopWeight: 1, ws)
        #expect(result.kl < 1e-10 && abs(result.stopKL) < 1e-5)
    }

    /// Diffusion-DPO's loss is a plain function of the policy: its gradient is checked directly.
    @Test func dpoStepGradients() {
        let (reference, policy) = Self.models()
        let points = Self.points(perSequence: 2)
        let ws = ARDMTrainingWorkspace(model: policy, maxB: 4, maxT: 20, timesPerToken: 1)
        let referenceErrors = reference.denoisingErrors(Self.batch, points, ws)
        checkStepGradients(policy.params, skipping: { $0.hasPrefix("aux.") || $0.hasPrefix("stop.") }) {
            policy.dpoStep(Self.batch, points, referenceErrors: referenceErrors, beta: 50, ws).loss
        }
        // At the reference itself every Δ is 0: the loss is log 2 and no pair is yet ranked.
        let start = reference.dpoStep(Self.batch, points, referenceErrors: referenceErrors, beta: 50, ws)
        #expect(abs(start.loss - log(2)) < 1e-5 && start.accuracy == 0)
    }
}
