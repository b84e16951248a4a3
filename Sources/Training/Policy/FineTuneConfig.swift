import ARDM
import Foundation
import NN
import Rewards

/// A fine-tuning recipe (configs/vgpo-*.json, configs/dpo-*.json; keys snake_case): what VGPO
/// (Algorithm 3) and the ARDM-DPO baseline share — the base model, on-policy rollouts, the
/// optimiser, evaluation during training — and a section for the method.
public struct FineTuneConfig: Codable, Sendable {
    public var corpus: String
    /// The base model: the reference μ and the policy's starting point.
    public var base: String
    public var run: String
    public var seed: UInt64
    /// The reward rollouts are scored by (logged; ranks DPO pairs; targets of the online value).
    public var reward: RewardName
    public var iterations: Int
    /// Prompt/target pairs per iteration, and rollouts of the current policy per pair.
    public var promptsPerIteration: Int
    public var rolloutsPerPrompt: Int
    /// (n, t) points drawn per rollout for each update.
    public var pointsPerSequence: Int
    public var learningRate: Float
    public var warmupIterations: Int
    public var gradClip: Float
    public var maxPositions: Int
    /// LM guidance w of the rollouts (and of VGPO's loss, Appendix B.2).
    public var cfg: Float
    public var checkpointEvery: Int
    public var evaluation: Evaluation
    public var vgpo: VGPO?
    public var dpo: DPO?

    /// Evaluation during training: the first `items` items of a task, sampled with fixed seeds
    /// by the current policy every `every` iterations (and at iteration 0).
    public struct Evaluation: Codable, Sendable {
        public var task: String
        public var items: Int
        public var every: Int
        public var ctc: String
        public var speaker: String
        public var seed: UInt64
    }

    /// VGPO's section: the value model, w_KL, and the optional online value update and ADM.
    public struct VGPO: Codable, Sendable {
        public var value: String
        public var klWeight: Float
        /// Weight of the stop head's KL to μ's (the LM it reads is fine-tuned too).
        public var stopWeight: Float
        /// Normalise rewards within each prompt's rollouts for the online value (Task B, as
        /// the value was trained); otherwise with the value model's recorded mean and std.
        public var groupNormalization: Bool
        public var onlineValue: OnlineValue?
        public var adversarial: Adversarial?
    }

    /// Algorithm 1 on each iteration's rollouts, `steps` times.
    public struct OnlineValue: Codable, Sendable {
        public var steps: Int
        public var learningRate: Float
        public var objective: ValueObjective
    }

    /// Adversarial distribution matching (§3.4): a discriminator initialised from the base
    /// model (a value-model copy, `init` to start from another), trained `steps` times per
    /// iteration by the least-squares loss of Eq. 17 on the policy's rollouts (−1) against a
    /// pool of base-model rollouts (+1), optionally only their first `baseSeconds`; its input
    /// gradient enters the policy's loss with weight `weight` (Eq. 18).
    public struct Adversarial: Codable, Sendable {
        public var weight: Float
        public var steps: Int
        public var learningRate: Float
        public var basePool: Int
        public var baseSeconds: Double?
        public var `init`: String?
    }

    /// The ARDM-DPO baseline: the best and the worst rollout of each prompt make a pair.
    public struct DPO: Codable, Sendable {
        public var beta: Float
    }

    public static func load(_ path: String) throws -> FineTuneConfig { try loadRecipe(path) }

    public var schedule: LearningRateSchedule {
        LearningRateSchedule(peak: learningRate, floor: learningRate, warmupSteps: warmupIterations, totalSteps: iterations)
    }
}
