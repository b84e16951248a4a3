import ARDM
import Foundation
import NN

/// A pre-training recipe (configs/pretrain-*.json): model shape, data, optimiser, schedule.
/// Keys are snake_case in the file.
public struct PretrainConfig: Codable, Sendable {
    public struct ModelRecipe: Codable, Sendable {
        public var lm: TransformerConfig
        public var head: ARDMConfig.HeadConfig
        public var melBins = 80
        public var patchFrames = 4
        public var conditionDropout: Float = 0.1
        /// Train the auxiliary phone head on the corpus timings (alignment aid, DESIGN §6).
        public var auxiliaryHead = true
        /// Guided-attention penalty on the alignment heads (lm.alignmentLayers) and its width.
        public var alignmentPenalty: Float = 0
        public var alignmentWidth: Float = 0.2

        public init(lm: TransformerConfig, head: ARDMConfig.HeadConfig, melBins: Int = 80, patchFrames: Int = 4,
                    conditionDropout: Float = 0.1, auxiliaryHead: Bool = true, alignmentPenalty: Float = 0, alignmentWidth: Float = 0.2) {
            self.lm = lm; self.head = head; self.melBins = melBins; self.patchFrames = patchFrames
            self.conditionDropout = conditionDropout; self.auxiliaryHead = auxiliaryHead
            self.alignmentPenalty = alignmentPenalty; self.alignmentWidth = alignmentWidth
        }
    }

    public var corpus: String
    public var run: String
    public var seed: UInt64
    public var model: ModelRecipe
    public var batchSize: Int
    public var maxPositions: Int
    public var timesPerToken: Int
    public var steps: Int
    public var warmupSteps: Int
    public var learningRate: Float
    public var minLearningRate: Float
    public var gradClip: Float
    public var lossWeights: ARDMLossWeights
    public var checkpointEvery: Int
    public var validateEvery: Int
    public var validationBatches: Int
    /// Draw training targets by engine with probability ∝ n_e^α (see `PairedExamples`); absent:
    /// uniform over utterances.
    public var engineSamplingExponent: Float?
    /// Largest std of the noise added to the speech tokens the LM reads (not the targets), drawn
    /// per sequence from U(0, σ) (see `ARDM.trainingStep`); absent: clean histories.
    public var historyNoise: Float?
    /// Chance per sequence that the target tokens the LM reads are the model's own one-shot
    /// predictions of them (parallel scheduled sampling, see `ARDM.trainingStep`); absent: never.
    public var predictedHistory: Float?
    /// Replace a run of the target tokens the LM reads by the model's own free-running
    /// continuation in a fraction of the sequences (see `FreeRunningSegments`); absent: never.
    public var freeRunningSegments: FreeRunningSegments?
    /// Bring the rate linearly to `min_learning_rate` from step `start` over `steps` steps and end
    /// the run there (a branch of a long cosine run, see `LearningRateSchedule.Cooldown`).
    public var cooldown: LearningRateSchedule.Cooldown?
    /// Speaker augmentation: warp a fraction of the sequences in frequency (see `VoiceWarp`);
    /// absent: never.
    public var voiceWarp: VoiceWarp?
    /// Keep an exponential moving average of the weights, written with every checkpoint as
    /// `checkpoint/average/` (see `WeightAverage`); absent: none.
    public var weightAverage: WeightAverageRecipe?

    public init(corpus: String, run: String, seed: UInt64, model: ModelRecipe, batchSize: Int, maxPositions: Int,
                timesPerToken: Int, steps: Int, warmupSteps: Int, learningRate: Float, minLearningRate: Float,
                gradClip: Float, lossWeights: ARDMLossWeights, checkpointEvery: Int, validateEvery: Int,
                validationBatches: Int) {
        self.corpus = corpus; self.run = run; self.seed = seed; self.model = model; self.batchSize = batchSize
        self.maxPositions = maxPositions; self.timesPerToken = timesPerToken; self.steps = steps
        self.warmupSteps = warmupSteps; self.learningRate = learningRate; self.minLearningRate = minLearningRate
        self.gradClip = gradClip; self.lossWeights = lossWeights; self.checkpointEvery = checkpointEvery
        self.validateEvery = validateEvery; self.validationBatches = validationBatches
    }

    public static func load(_ path: String) throws -> PretrainConfig {
        let recipe: PretrainConfig = try loadRecipe(path)
        if let problem = recipe.voiceWarp?.problem ?? recipe.weightAverage?.problem ?? recipe.freeRunningSegments?.problem {
            throw TrainingError.badConfig(path: path, reason: problem)
        }
        return recipe
    }

    public var schedule: LearningRateSchedule {
        LearningRateSchedule(peak: learningRate, floor: minLearningRate, warmupSteps: warmupSteps, totalSteps: steps,
                             cooldown: cooldown)
    }

    /// The step the run ends at: the recipe's `steps`, or the end of its cool-down.
    public var finalStep: Int { min(steps, cooldown?.end ?? steps) }
}

/// A recipe's `weight_average`: the decay of the moving average (time constant 1 / (1 − decay)
/// steps).
public struct WeightAverageRecipe: Codable, Sendable, Equatable {
    public var decay: Float

    public init(decay: Float) { self.decay = decay }

    /// Why the value cannot be used, or nil when it can.
    var problem: String? { decay > 0 && decay < 1 ? nil : "weight_average needs decay in (0, 1) (got \(decay))" }
}

/// Reads a training recipe (snake_case keys); a malformed one, or one with a key the recipe
/// does not have, is `TrainingError.badConfig`.
func loadRecipe<Recipe: Codable>(_ path: String) throws -> Recipe {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    let document = try Data(contentsOf: URL(fileURLWithPath: path))
    do {
        return try UnreadJSONKeys.decodeStrictly(Recipe.self, from: document, decoder: decoder)
    } catch let error as DecodingError {
        throw TrainingError.badConfig(path: path, reason: "\(error)")
    } catch let error as UnreadJSONKeys.Refused {
        throw TrainingError.badConfig(path: path, reason: "\(error) (misspelt, or from another kind of recipe?)")
    }
}

public enum TrainingError: Error, CustomStringConvertible {
    case badConfig(path: String, reason: String)
    case badCheckpoint(path: String, reason: String)
    case noData(String)

    public var description: String {
        switch self {
        case .badConfig(let p, let r): return "bad training config \(p): \(r)"
        case .badCheckpoint(let p, let r): return "cannot resume from \(p): \(r)"
        case .noData(let r): return "no training data: \(r)"
        }
    }
}
