import ARDM
import Foundation
import NN
import Rewards

/// The ARDM-DPO baseline's update: of each prompt's rollouts, the best by the reward is the
/// winner and the worst the loser (prompts whose rollouts all score alike are skipped); one
/// Diffusion-DPO step (`ARDM.dpoStep`) on the pairs at random (n, t) points.
final class DPOMethod: FineTuneMethod {
    let name = "dpo"
    let beta: Float
    let reference: ARDM
    let direction: RewardDirection
    let pointsPerSequence: Int
    let gradClip: Float
    let companions: [TrainedModel] = []

    init(beta: Float, reference: ARDM, direction: RewardDirection, pointsPerSequence: Int, gradClip: Float) {
        self.beta = beta; self.reference = reference; self.direction = direction; self.pointsPerSequence = pointsPerSequence
        self.gradClip = gradClip
    }

    var provenance: [String: String] { ["beta": "\(beta)"] }
    let progressField = (label: "loss", key: "dpo_loss")

    func update(_ groups: [RolloutGroup], policy: TrainedModel, lr: Float, rng: inout RNG) throws -> [String: Double] {
        var winners: [ARDMExample] = [], losers: [ARDMExample] = []
        for group in groups {
            let ranked = group.rewards.indices.sorted { direction.oriented(group.rewards[$0]) > direction.oriented(group.rewards[$1]) }
            guard let best = ranked.first, let worst = ranked.last, group.rewards[best] != group.rewards[worst] else { continue }
            winners.append(group.examples[best]); losers.append(group.examples[worst])
        }
        guard !winners.isEmpty else { return ["pairs": 0] }
        let t0 = Date()
        let batch = winners + losers
        let points = DiffusionPoints(batch: batch, perSequence: pointsPerSequence, tokenWidth: policy.model.config.tokenWidth, rng: &rng)
        let referenceErrors = reference.denoisingErrors(batch, points, policy.workspace)
        let result = policy.step(lr: lr, clip: gradClip) {
            policy.model.dpoStep(batch, points, referenceErrors: referenceErrors, beta: beta, policy.workspace)
        }
        return ["dpo_loss": Double(result.loss), "dpo_accuracy": Double(result.accuracy), "pairs": Double(winners.count),
                "policy_seconds": Date().timeIntervalSince(t0)]
    }
}
