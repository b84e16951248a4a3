/// A `vgpo-train train-speaker` recipe (configs/speaker.json).
public struct SpeakerTrainingConfig: Codable, Sendable {
    public struct Model: Codable, Sendable {
        public var convolutions: [ConvolutionSpec]
        public var embeddingSize: Int

        public init(convolutions: [ConvolutionSpec], embeddingSize: Int) {
            self.convolutions = convolutions; self.embeddingSize = embeddingSize
        }
    }

    public var model: Model
    public var seed: UInt64
    public var steps: Int
    /// Random crops per batch, each from a random training utterance.
    public var batchSize: Int
    /// Crop length, mel frames (shorter utterances are used whole). 3 s is about what a
    /// zero-shot prompt gives; crops also multiply the training examples per utterance.
    public var cropFrames: Int
    public var peakLearningRate: Float
    public var finalLearningRate: Float
    public var warmupSteps: Int
    public var weightDecay: Float
    public var gradientClip: Float
    public var logEvery: Int
    public var evaluateEvery: Int
    public var checkpointEvery: Int
    /// Validation clips embedded for the periodic EER (seen voices, held-out sentences).
    public var evaluationUtterances: Int
    public var threads: Int

    public init(model: Model, seed: UInt64, steps: Int, batchSize: Int, cropFrames: Int, peakLearningRate: Float,
                finalLearningRate: Float, warmupSteps: Int, weightDecay: Float, gradientClip: Float, logEvery: Int,
                evaluateEvery: Int, checkpointEvery: Int, evaluationUtterances: Int, threads: Int) {
        self.model = model; self.seed = seed; self.steps = steps; self.batchSize = batchSize; self.cropFrames = cropFrames
        self.peakLearningRate = peakLearningRate; self.finalLearningRate = finalLearningRate; self.warmupSteps = warmupSteps
        self.weightDecay = weightDecay; self.gradientClip = gradientClip; self.logEvery = logEvery
        self.evaluateEvery = evaluateEvery; self.checkpointEvery = checkpointEvery
        self.evaluationUtterances = evaluationUtterances; self.threads = threads
    }
}
