import NN

/// A `vgpo-train train-ctc` recipe (configs/ctc.json): model shape and training settings.
public struct CTCTrainingConfig: Codable, Sendable {
    public struct Model: Codable, Sendable {
        public var convolutions: [ConvolutionSpec]
        public var channels: Int
        public var layers: Int
        public var heads: Int
        public var mlpHidden: Int
        /// Encoder positions: the longest input is maxPositions × downsampling mel frames.
        public var maxPositions: Int

        public init(convolutions: [ConvolutionSpec], channels: Int, layers: Int, heads: Int, mlpHidden: Int, maxPositions: Int) {
            self.convolutions = convolutions; self.channels = channels; self.layers = layers; self.heads = heads
            self.mlpHidden = mlpHidden; self.maxPositions = maxPositions
        }
    }

    public var model: Model
    public var seed: UInt64
    public var steps: Int
    /// Mel frames per batch, padding included (utterances × longest).
    public var maxBatchFrames: Int
    public var maxBatchUtterances: Int
    /// Training utterances longer than this (mel frames) are skipped.
    public var maxUtteranceFrames: Int
    public var peakLearningRate: Float
    public var finalLearningRate: Float
    public var warmupSteps: Int
    public var weightDecay: Float
    public var gradientClip: Float
    public var augmentation: SpecAugment
    public var logEvery: Int
    public var evaluateEvery: Int
    public var checkpointEvery: Int
    /// Validation utterances scored at each evaluation.
    public var evaluationUtterances: Int
    /// Worker threads (this machine has 2 cores shared with other work).
    public var threads: Int

    public init(model: Model, seed: UInt64, steps: Int, maxBatchFrames: Int, maxBatchUtterances: Int, maxUtteranceFrames: Int,
                peakLearningRate: Float, finalLearningRate: Float, warmupSteps: Int, weightDecay: Float, gradientClip: Float,
                augmentation: SpecAugment, logEvery: Int, evaluateEvery: Int, checkpointEvery: Int, evaluationUtterances: Int,
                threads: Int) {
        self.model = model; self.seed = seed; self.steps = steps; self.maxBatchFrames = maxBatchFrames
        self.maxBatchUtterances = maxBatchUtterances; self.maxUtteranceFrames = maxUtteranceFrames
        self.peakLearningRate = peakLearningRate; self.finalLearningRate = finalLearningRate; self.warmupSteps = warmupSteps
        self.weightDecay = weightDecay; self.gradientClip = gradientClip; self.augmentation = augmentation
        self.logEvery = logEvery; self.evaluateEvery = evaluateEvery; self.checkpointEvery = checkpointEvery
        self.evaluationUtterances = evaluationUtterances; self.threads = threads
    }
}
