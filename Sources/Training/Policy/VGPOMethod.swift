import ARDM
import Corpus
import Foundation
import NN
import Rewards

/// VGPO's update (Algorithm 3): at random (n, t) points of the policy's rollouts, the policy's
/// LM-guided prediction is pulled toward μ's by w_KL and pushed along σ_t·∇V (and w_A·σ_t·∇D
/// with ADM); then, optionally, the value model learns from the same rollouts (online value
/// update, Algorithm 1) and the discriminator learns to tell them from base-model rollouts
/// (Eq. 17).
final class VGPOMethod: FineTuneMethod {
    let name = "vgpo"
    let progressField = (label: "KL", key: "kl")
    let settings: FineTuneConfig.VGPO
    let reference: ARDM
    let value: TrainedModel
    /// Raw reward units per unit of the value's output, and the value's target normalisation.
    let rewardStd: Float
    let normalization: RewardNormalization
    /// The window (H tokens from n on, B before) when the value predicts likelihood shares
    /// (`ValueTrainConfig.shareHorizon`): the online update then trains it on the same targets.
    let shareHorizon: Int?, shareLookback: Int
    let discriminator: TrainedModel?
    /// Base-model rollouts: the "real" side of the discriminator.
    let basePool: [ARDMExample]
    let cfg: Float, gradClip: Float, pointsPerSequence: Int

    /// The value and the discriminator run their steps in `shared` (the policy's buffers: within
    /// an iteration the models take turns, and each step fills the buffers it reads) when it
    /// fits them: at Task B's 1,024 positions each workspace holds several GB.
    init(settings: FineTuneConfig.VGPO, config: FineTuneConfig, reference: ARDM, store: CorpusStore, reward: Reward,
         sharing shared: ARDMTrainingWorkspace) throws {
        self.settings = settings; self.reference = reference
        cfg = config.cfg; gradClip = config.gradClip; pointsPerSequence = config.pointsPerSequence
        let sequences = config.promptsPerIteration * config.rolloutsPerPrompt
        func trained(_ name: String, _ model: ARDM, sequences: Int) -> TrainedModel {
            guard shared.fits(model), shared.maxB >= sequences, shared.maxT >= config.maxPositions,
                  shared.timesPerToken == config.pointsPerSequence, shared.headRows >= sequences * config.pointsPerSequence else {
                return TrainedModel(name: name, model: model, sequences: sequences, maxPositions: config.maxPositions,
                                    pointsPerSequence: config.pointsPerSequence)
            }
            return TrainedModel(name: name, model: model, workspace: shared)
        }
        let (valueModel, valueFile) = try ARDM.load(from: URL(fileURLWithPath: settings.value))
        guard valueModel.config.isValueModel else {
            throw TrainingError.badConfig(path: settings.value, reason: "is a speech model, not a value model")
        }
        if let recorded = valueFile.provenance["reward"], recorded != config.reward.rawValue {
            throw TrainingError.badConfig(path: settings.value, reason: "values \(recorded), the recipe's reward is \(config.reward.rawValue)")
        }
        shareHorizon = valueFile.provenance["share_horizon"].flatMap(Int.init)
        shareLookback = valueFile.provenance["share_lookback"].flatMap(Int.init) ?? 0
        value = trained("value", valueModel, sequences: sequences)
        value.provenance = valueFile.provenance
        let mean = valueFile.provenance["reward_mean"].flatMap(Double.init) ?? 0
        let std = valueFile.provenance["reward_std"].flatMap(Double.init) ?? 1
        rewardStd = Float(std)
        normalization = RewardNormalization(mean: mean, std: std)
        guard let adversarial = settings.adversarial else { discriminator = nil; basePool = []; return }
        let start: ARDM
        if let path = adversarial.`init` {
            start = try ARDM.load(from: URL(fileURLWithPath: path)).0
        } else {
            start = reference.makeValueModel()
        }
        let discriminator = trained("discriminator", start, sequences: 2 * sequences)
        discriminator.provenance = ["kind": "discriminator", "base": config.base]
        self.discriminator = discriminator
        // The pool is drawn from its own seed, so a resumed run rebuilds the same one.
        let baseRollouts = try OnPolicyRollouts(model: reference, store: store, reward: reward, batch: min(sequences, 16),
                                                maxPositions: config.maxPositions)
        var rng = RNG(seed: config.seed &+ 7)
        let groups = try baseRollouts.sample(prompts: adversarial.basePool, perPrompt: 1, options: SamplingOptions(cfg: config.cfg),
                                             rng: &rng)
        let D = reference.config.tokenWidth
        let keep = adversarial.baseSeconds.map { Int($0 / baseRollouts.secondsPerToken) }
        basePool = groups.flatMap(\.examples).map { example in
            guard let keep else { return example }
            var cut = example
            let tokens = min(example.tokenCount(width: D), example.promptTokenCount + max(keep, 1))
            cut.speech = Array(example.speech.prefix(tokens * D))
            cut.auxiliaryTargets = Array(example.auxiliaryTargets.prefix(tokens))
            return cut
        }
    }

    var needsTokenShares: Bool { settings.onlineValue != nil && shareHorizon != nil }

    var companions: [TrainedModel] {
        (settings.onlineValue != nil ? [value] : []) + (discriminator.map { [$0] } ?? [])
    }

    var provenance: [String: String] {
        var p = ["value": settings.value, "kl_weight": "\(settings.klWeight)", "online_value": "\(settings.onlineValue != nil)"]
        if let adversarial = settings.adversarial { p["adversarial_weight"] = "\(adversarial.weight)" }
        return p
    }

    func update(_ groups: [RolloutGroup], policy: TrainedModel, lr: Float, rng: inout RNG) throws -> [String: Double] {
        let batch = groups.flatMap(\.examples), D = policy.model.config.tokenWidth
        var entry: [String: Double] = [:]
        let t0 = Date()
        let points = DiffusionPoints(batch: batch, perSequence: pointsPerSequence, tokenWidth: D, rng: &rng)
        let reference = self.reference.guidedPrediction(batch, points, cfg: cfg, policy.workspace)
        var correction = value.model.valueGradient(batch, points, value.workspace)
        let adversarialGradient = discriminator.map { $0.model.valueGradient(batch, points, $0.workspace) }
        let weight = settings.adversarial?.weight ?? 0
        for (j, p) in points.points.enumerated() {
            let sigma = NoiseSchedule.sigma(p.time)
            for i in (j * D)..<((j + 1) * D) {
                correction[i] = sigma * (rewardStd * correction[i] + weight * (adversarialGradient?[i] ?? 0))
            }
        }
        let result = policy.step(lr: lr, clip: gradClip) {
            policy.model.vgpoStep(batch, points, reference: reference, correction: correction,
                                  objective: VGPOObjective(klWeight: settings.klWeight), cfg: cfg, stopWeight: settings.stopWeight,
                                  policy.workspace)
        }
        entry["kl"] = Double(result.kl); entry["guidance"] = Double(result.guidance); entry["stop_kl"] = Double(result.stopKL)
        entry["policy_seconds"] = Date().timeIntervalSince(t0)
        // (With shares, an iteration in which no rollout's phonemes fit leaves the value as it is.)
        if let online = settings.onlineValue, case let examples = groups.flatMap(onlineValueExamples), !examples.isEmpty {
            let t1 = Date()
            var loss: Float = 0
            for _ in 0..<online.steps {
                loss += value.step(lr: online.learningRate, clip: gradClip) {
                    value.model.valueTrainingStep(examples, value.workspace, objective: online.objective, rng: &rng).loss
                }
            }
            entry["value_loss"] = Double(loss) / Double(max(online.steps, 1))
            entry["value_seconds"] = Date().timeIntervalSince(t1)
        }
        if let discriminator, let adversarial = settings.adversarial {
            let t2 = Date()
            var loss: Float = 0
            for _ in 0..<adversarial.steps {
                // Eq. 17: the policy's rollouts toward −1, as many base rollouts toward +1.
                let real = (0..<batch.count).map { _ in ValueExample(example: basePool[rng.int(below: basePool.count)], reward: 1) }
                let fake = batch.map { ValueExample(example: $0, reward: -1) }
                loss += discriminator.step(lr: adversarial.learningRate, clip: gradClip) {
                    discriminator.model.valueTrainingStep(fake + real, discriminator.workspace, objective: .mse, rng: &rng).loss
                }
            }
            entry["discriminator_loss"] = Double(loss) / Double(max(adversarial.steps, 1))
            entry["discriminator_seconds"] = Date().timeIntervalSince(t2)
        }
        return entry
    }

    /// The online value update's trajectories from one group: its rewards normalised as the
    /// recipe says, or with a share horizon each token's shares over the horizon, normalised as
    /// the value was trained (rollouts whose phonemes did not fit are left out).
    func onlineValueExamples(_ group: RolloutGroup) -> [ValueExample] {
        if let shareHorizon {
            // Every point then has a token target; the rollout's reward is not read.
            return zip(group.examples, group.tokenShares).compactMap { example, shares in
                shares.map { ValueExample(example: example, reward: 0, tokenTargets:
                    LikelihoodShares.windowSums($0, lookback: shareLookback, horizon: shareHorizon).map { normalization($0) }) }
            }
        }
        let rewards = settings.groupNormalization ? GroupNormalization.normalize(group.rewards).map(Float.init)
            : group.rewards.map(normalization.callAsFunction)
        return zip(group.examples, rewards).map { ValueExample(example: $0, reward: $1) }
    }
}
