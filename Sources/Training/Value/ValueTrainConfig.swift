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
    /// Each batch made of whole rollout groups (`true`) rather than trajectories drawn one by
    /// one (default): with group-normalised targets the part of V shared by a group's samples
    /// then gets opposite pulls that cancel within the batch, and the steps follow what sets
    /// one sample of a text apart from the others, which is what guidance needs.
    public var groupBatches: Bool?
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
                validationBatches: Int, groupNormalization: Bool? = nil, groupBatches: Bool? = nil) {
        self.corpus = corpus; self.base = base; self.run = run; self.seed = seed; self.reward = reward
        self.objective = objective; self.trajectories = trajectories; self.batchSize = batchSize
        self.maxPositions = maxPositions; self.pointsPerSequence = pointsPerSequence; self.steps = steps
        self.warmupSteps = warmupSteps; self.learningRate = learningRate; self.minLearningRate = minLearningRate
        self.gradClip = gradClip; self.checkpointEvery = checkpointEvery; self.validateEvery = validateEvery
        self.validationBatches = validationBatches; self.groupNormalization = groupNormalization
        self.groupBatches = groupBatches
    }

    public static func load(_ path: String) throws -> ValueTrainConfig { try loadRecipe(path) }

    public var schedule: LearningRateSchedule {
        LearningRateSchedule(peak: learningRate, floor: minLearningRate, warmupSteps: warmupSteps, totalSteps: steps)
    }

    public var fromCorpus: Bool { trajectories == "corpus" }
    public var normalizesGroups: Bool { groupNormalization ?? true }
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
