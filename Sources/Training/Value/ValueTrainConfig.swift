import ARDM
import Foundation
import NN
import Rewards

/// A value-training recipe (Algorithm 1; configs/value-*.json, keys snake_case).
public struct ValueTrainConfig: Codable, Sendable {
    public var corpus: String
    /// The base model folder the value model is initialised from (and whose samples it values).
    public var base: String
    public var run: String
    public var seed: UInt64
    /// The reward the value predicts.
    public var reward: RewardName
    public var objective: ValueObjective
    /// Where the trajectories come from: `corpus` (corpus audio with its reward, the paper's
    /// Task A shortcut) or the path of a rollout set written by `vgpo-train rollouts` (Task B).
    public var trajectories: String
    /// Rollout rewards normalised within each prompt/text group (the paper's Task B, default) or
    /// only across all trajectories (`false`: the value may then learn which texts and voices
    /// are hard, not only which rollouts of one text are better).
    public var groupNormalization: Bool?
    /// Without group normalisation, each rollout's reward less the mean of the other rollouts of
    /// its group (then normalised across all trajectories like raw rewards). That baseline depends
    /// only on the text and voice, so ∇V, what guidance follows, is what it would be on raw
    /// rewards (for the soft value too: the others are independent of this rollout), while the
    /// targets no longer reward V for knowing which texts and voices are easy, a part the value
    /// otherwise learns first and guidance does not use.
    public var leaveOneOutBaseline: Bool?
    /// Each batch made of whole rollout groups (`true`) rather than trajectories drawn one by
    /// one (default): with group-normalised targets the part of V shared by a group's samples
    /// then gets opposite pulls that cancel within the batch, and the steps follow what sets
    /// one sample of a text apart from the others, which is what guidance needs.
    public var groupBatches: Bool?
    /// Task B from rollouts with token shares (`vgpo-train rollouts --rescore … --token-shares`):
    /// the target at a point of token n is the likelihood shares of tokens n..<n+H instead of
    /// the rollout's reward. The shares far from n depend mostly on the prefix and on tokens not
    /// yet sampled: they add variance to the rollout's reward that x_n^t hardly explains, so the
    /// value fits a token's own effect on the likelihood from far fewer rollouts. It is biased:
    /// effects outside the window are lost, and guidance can exploit that (docs/results/task-b).
    /// The targets are normalised across all training tokens; the group settings do not apply.
    public var shareHorizon: Int?
    /// With `shareHorizon`, the window also takes the shares of the B tokens before n (default
    /// 0). The recogniser reads both ways, so a token that says too little can cost likelihood
    /// in frames before it (where the alignment squeezes the phoneme it left out), which a
    /// window looking only ahead credits as a gain.
    public var shareLookback: Int?
    public var batchSize: Int
    public var maxPositions: Int
    /// (n, t) points drawn per trajectory per step.
    public var pointsPerSequence: Int
    public var steps: Int
    public var warmupSteps: Int
    public var learningRate: Float
    public var minLearningRate: Float
    public var gradClip: Float
    public var checkpointEvery: Int
    public var validateEvery: Int
    public var validationBatches: Int

    public init(corpus: String, base: String, run: String, seed: UInt64, reward: RewardName, objective: ValueObjective,
                trajectories: String, batchSize: Int, maxPositions: Int, pointsPerSequence: Int, steps: Int, warmupSteps: Int,
                learningRate: Float, minLearningRate: Float, gradClip: Float, checkpointEvery: Int, validateEvery: Int,
                validationBatches: Int, groupNormalization: Bool? = nil, groupBatches: Bool? = nil,
                leaveOneOutBaseline: Bool? = nil, shareHorizon: Int? = nil, shareLookback: Int? = nil) {
        self.corpus = corpus; self.base = base; self.run = run; self.seed = seed; self.reward = reward
        self.objective = objective; self.trajectories = trajectories; self.batchSize = batchSize
        self.maxPositions = maxPositions; self.pointsPerSequence = pointsPerSequence; self.steps = steps
        self.warmupSteps = warmupSteps; self.learningRate = learningRate; self.minLearningRate = minLearningRate
        self.gradClip = gradClip; self.checkpointEvery = checkpointEvery; self.validateEvery = validateEvery
        self.validationBatches = validationBatches; self.groupNormalization = groupNormalization
        self.groupBatches = groupBatches; self.leaveOneOutBaseline = leaveOneOutBaseline
        self.shareHorizon = shareHorizon; self.shareLookback = shareLookback
    }

    public static func load(_ path: String) throws -> ValueTrainConfig { try loadRecipe(path) }

    public var schedule: LearningRateSchedule {
        LearningRateSchedule(peak: learningRate, floor: minLearningRate, warmupSteps: warmupSteps, totalSteps: steps)
    }

    public var fromCorpus: Bool { trajectories == "corpus" }
    public var normalizesGroups: Bool { groupNormalization ?? true }

    /// What each rollout's reward becomes before the normalisation across trajectories.
    public var groupTargets: GroupTargets {
        normalizesGroups ? .normalized : (leaveOneOutBaseline ?? false) ? .leaveOneOut : .raw
    }
}

/// Rollout rewards as value targets, from the rewards of one group (see `ValueTrainConfig`).
public enum GroupTargets: String, Sendable {
    /// (r − group mean) / group std.
    case normalized
    case raw
    /// r − mean of the group's other rewards.
    case leaveOneOut = "leave_one_out"

    func targets(_ rewards: [Double]) -> [Double] {
        switch self {
        case .normalized:
            return GroupNormalization.normalize(rewards)
        case .raw:
            return rewards
        case .leaveOneOut:
            guard rewards.count > 1 else { return rewards.map { _ in 0 } }
            let sum = rewards.reduce(0, +), others = Double(rewards.count - 1)
            return rewards.map { $0 - (sum - $0) / others }
        }
    }
}

/// How raw rewards become the value's targets: z = (r − mean) / std. The value model predicts
/// z, so λ multiplies a gradient in units of reward standard deviations (for the soft value,
/// π ∝ μ·exp(z), i.e. an inverse temperature of 1/std on the raw reward).
public struct RewardNormalization: Codable, Sendable, Equatable {
    public var mean: Double
    public var std: Double

    public init(rewards: [Double]) {
        let n = Double(max(rewards.count, 1)), m = rewards.reduce(0, +) / n
        mean = m
        std = max((rewards.map { ($0 - m) * ($0 - m) }.reduce(0, +) / n).squareRoot(), 1e-6)
    }

    public init(mean: Double, std: Double) { self.mean = mean; self.std = max(std, 1e-6) }

    public func callAsFunction(_ reward: Double) -> Float { Float((reward - mean) / std) }
}
