import Audio
import Foundation
import NN

/// Trains the speaker encoder (`vgpo-train train-speaker`): classification of the corpus's
/// training voices with the additive-margin softmax, on random crops, AdamW with warm-up and
/// cosine decay; validation EER; atomic checkpoints and exact resume (the crops of step s come
/// from RNG(seed, s), so the step, weights and moments are the whole state).
public final class SpeakerTrainer {
    public let config: SpeakerTrainingConfig
    public let model: SpeakerEncoder
    let corpus: TrainingCorpus
    let voices: [String]
    let train: [TrainingUtterance]
    let trainClass: [Int32]
    let validation: [TrainingUtterance]
    let acts: SpeakerActivations
    public private(set) var optimizer: AdamW
    let schedule: LearningRateSchedule
    public private(set) var step = 0
    public private(set) var trainingSeconds = 0.0

    public struct State: Codable {
        public var step: Int
        public var optimizerStep: Int
        public var trainingSeconds: Double
        public var voices: [String]
    }

    public init(config: SpeakerTrainingConfig, corpus: TrainingCorpus) throws {
        self.config = config
        self.corpus = corpus
        Parallel.workers = max(1, config.threads)
        let encoderConfig = SpeakerEncoderConfig(convolutions: config.model.convolutions, embeddingSize: config.model.embeddingSize,
                                                 melStatistics: try corpus.melStatistics())
        voices = corpus.trainingVoices
        let minimum = encoderConfig.minimumMelFrames
        train = corpus.utterances(.train).filter { $0.frameCount >= minimum }
        let classOf = Dictionary(uniqueKeysWithValues: voices.enumerated().map { ($1, Int32($0)) })
        trainClass = train.map { classOf[$0.voice]! }
        validation = Array(corpus.utterances(.validation).filter { $0.frameCount >= minimum }.prefix(config.evaluationUtterances))
        guard !train.isEmpty && voices.count >= 2 else {
            throw RewardError.modelUnavailable(reward: "sim", reason: "the corpus needs at least two training voices")
        }
        model = SpeakerEncoder(config: encoderConfig, classCount: voices.count, seed: config.seed)
        acts = SpeakerActivations(model: model, maxB: config.batchSize, maxRows: config.batchSize * config.cropFrames)
        optimizer = AdamW(weightDecay: config.weightDecay)
        schedule = LearningRateSchedule(peak: config.peakLearningRate, floor: config.finalLearningRate,
                                        warmupSteps: config.warmupSteps, totalSteps: config.steps)
    }

    public var voiceCount: Int { voices.count }

    /// One step on `batchSize` random crops; returns the loss, gradient norm and learning rate.
    public func trainStep() throws -> (loss: Float, gradientNorm: Float, learningRate: Float) {
        var rng = RNG(seed: config.seed ^ (0xC0FFEE &+ UInt64(step) &* 0x9E37_79B9))
        let (B, T, M) = (config.batchSize, config.cropFrames, model.config.melBins)
        let (mean, std) = (model.config.melStatistics.mean, model.config.melStatistics.std)
        acts.input.update(repeating: 0, count: B * T * M)
        var lengths: [Int32] = [], targets: [Int32] = []
        for b in 0..<B {
            let i = rng.int(below: train.count)
            let mel = try corpus.logMel(train[i])
            let n = min(T, mel.frameCount)
            let start = rng.int(below: mel.frameCount - n + 1)
            for t in 0..<n {
                for m in 0..<M { acts.input[(b * T + t) * M + m] = (mel.values[(start + t) * M + m] - mean[m]) / std[m] }
            }
            lengths.append(Int32(n)); targets.append(trainClass[i])
        }
        model.forward(acts, B: B, T: T, lengths: lengths)
        let loss = model.loss(acts, targets: targets)
        model.params.zeroGrads()
        model.backward(acts)
        let norm = clipGradientNorm(model.params, maxNorm: config.gradientClip)
        let lr = schedule.rate(at: step)
        optimizer.update(model.params, lr: lr)
        step += 1
        return (loss, norm, lr)
    }

    /// EER and SIM gap over `utterances` (default: the validation clips of seen voices).
    public func evaluate(_ utterances: [TrainingUtterance]? = nil) throws -> SpeakerVerification {
        let clips = utterances ?? validation
        return SpeakerVerification.measure(embeddings: model.embeddings(try clips.map { try corpus.logMel($0) }),
                                           voices: clips.map(\.voice))
    }

    public func saveCheckpoint(to dir: URL) throws {
        try TrainingCheckpoint.save(model.params, state: State(step: step, optimizerStep: optimizer.step,
                                                               trainingSeconds: trainingSeconds, voices: voices),
                                    step: step, to: dir)
    }

    public func resume(from dir: URL) throws -> Bool {
        guard let state = try TrainingCheckpoint.loadLatest(model.params, from: dir, as: State.self) else { return false }
        guard state.voices == voices else {
            throw RewardError.modelUnavailable(reward: "sim", reason: "the checkpoint in \(dir.path) was trained on other voices")
        }
        step = state.step
        optimizer.step = state.optimizerStep
        trainingSeconds = state.trainingSeconds
        return true
    }

    public func addTrainingTime(_ seconds: Double) { trainingSeconds += seconds }
}
