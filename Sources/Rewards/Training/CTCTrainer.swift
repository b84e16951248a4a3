import Audio
import Foundation
import NN
import Text

/// Trains the CTC phoneme recogniser (`vgpo-train train-ctc`): AdamW with warm-up and cosine
/// decay, gradient clipping, length-bucketed batches, SpecAugment, periodic validation PER,
/// atomic checkpoints and exact resume.
///
/// Exact resume: the batches of epoch e come from RNG(seed, e) and the augmentation of step s
/// from RNG(seed, s), so the state to save is the step, the weights and the AdamW moments.
public final class CTCTrainer {
    public let config: CTCTrainingConfig
    public let model: CTCRecognizer
    public let labels = PhonemeLabels()
    let corpus: TrainingCorpus
    let train: [TrainingUtterance]
    let validation: [TrainingUtterance]
    let acts: RecognizerActivations
    public private(set) var optimizer: AdamW
    let schedule: LearningRateSchedule
    public private(set) var step = 0
    private var epochCache: (epoch: Int, firstStep: Int, batches: [[Int]])?

    public struct State: Codable {
        public var step: Int
        public var optimizerStep: Int
        public var trainingSeconds: Double
    }
    public private(set) var trainingSeconds = 0.0

    public init(config: CTCTrainingConfig, corpus: TrainingCorpus) throws {
        self.config = config
        self.corpus = corpus
        Parallel.workers = max(1, config.threads)
        let m = config.model
        let recognizer = RecognizerConfig(
            convolutions: m.convolutions,
            encoder: TransformerConfig(channels: m.channels, layers: m.layers, heads: m.heads, mlp: .gelu, mlpHidden: m.mlpHidden,
                                       maxPositions: m.maxPositions),
            classCount: labels.classCount, blank: labels.blank, phonemeVocabularyVersion: labels.vocabulary.version,
            melStatistics: try corpus.melStatistics())
        model = CTCRecognizer(config: recognizer, seed: config.seed)
        // Keep utterances whose phonemes fit the encoder's frames (CTC needs one per label, plus repeats).
        let usable: (TrainingUtterance) -> Bool = { [labels] u in
            let l = labels.labels(fromTokenIDs: u.phonemeIDs)
            return !l.isEmpty && u.frameCount <= min(config.maxUtteranceFrames, recognizer.maximumMelFrames)
                && ctcMinimumFrames(labels: l) <= Conv1dShape.outputLength(u.frameCount, kernel: 1, stride: recognizer.downsampling, padding: 0)
        }
        train = corpus.utterances(.train).filter(usable)
        validation = Array(corpus.utterances(.validation).filter(usable).prefix(config.evaluationUtterances))
        guard !train.isEmpty else { throw RewardError.modelUnavailable(reward: "ctc", reason: "no usable training utterances") }
        let longest = train.map(\.frameCount).max()!
        acts = RecognizerActivations(model: model, maxB: config.maxBatchUtterances, maxT: longest,
                                     maxRows: max(config.maxBatchFrames, longest))
        optimizer = AdamW(weightDecay: config.weightDecay)
        schedule = LearningRateSchedule(peak: config.peakLearningRate, floor: config.finalLearningRate,
                                        warmupSteps: config.warmupSteps, totalSteps: config.steps)
    }

    public var trainingUtteranceCount: Int { train.count }

    /// Batches (indices into `train`) of step s, walking epochs from the start.
    func batch(at s: Int) -> [Int] {
        if let c = epochCache, s >= c.firstStep, s < c.firstStep + c.batches.count { return c.batches[s - c.firstStep] }
        var (epoch, first) = (0, 0)
        if let c = epochCache, s >= c.firstStep { (epoch, first) = (c.epoch, c.firstStep) }
        while true {
            var rng = RNG(seed: config.seed &+ 0x5EED &* UInt64(epoch + 1))
            let batches = LengthBatcher.batches(lengths: train.map(\.frameCount), maxFrames: config.maxBatchFrames,
                                                maxUtterances: config.maxBatchUtterances, rng: &rng)
            if s < first + batches.count {
                epochCache = (epoch, first, batches)
                return batches[s - first]
            }
            first += batches.count
            epoch += 1
        }
    }

    public var epoch: Double {
        _ = batch(at: step)
        guard let c = epochCache else { return 0 }
        return Double(c.epoch) + Double(step - c.firstStep) / Double(c.batches.count)
    }

    /// One optimisation step on batch `step`; returns the loss and the gradient norm.
    public func trainStep() throws -> (loss: CTCBatchLoss, gradientNorm: Float, learningRate: Float) {
        let utterances = batch(at: step).map { train[$0] }
        let mels = try utterances.map { try corpus.logMel($0) }
        let (T, lengths) = model.fillInput(acts, mels)
        var rng = RNG(seed: config.seed ^ (0xA5A5 &+ UInt64(step) &* 0x9E37_79B9))
        for b in utterances.indices {
            config.augmentation.apply(acts.input + b * T * model.config.melBins, frames: Int(lengths[b]), M: model.config.melBins, rng: &rng)
        }
        model.forward(acts, B: utterances.count, T: T, lengths: lengths)
        let loss = model.loss(acts, labels: utterances.map { labels.labels(fromTokenIDs: $0.phonemeIDs) })
        model.params.zeroGrads()
        model.backward(acts)
        let norm = clipGradientNorm(model.params, maxNorm: config.gradientClip)
        let lr = schedule.rate(at: step)
        optimizer.update(model.params, lr: lr)
        step += 1
        return (loss, norm, lr)
    }

    /// PER (greedy decoding) and mean per-phoneme NLL on `utterances` (validation by default).
    public func evaluate(_ utterances: [TrainingUtterance]? = nil) throws -> RecognizerEvaluation {
        try RecognizerEvaluation.measure(model, corpus: corpus, utterances: utterances ?? validation, labels: labels)
    }

    public func saveCheckpoint(to dir: URL) throws {
        try TrainingCheckpoint.save(model.params, state: State(step: step, optimizerStep: optimizer.step, trainingSeconds: trainingSeconds),
                                    step: step, to: dir)
    }

    /// Resumes from the newest checkpoint in `dir`; false when there is none.
    public func resume(from dir: URL) throws -> Bool {
        guard let state = try TrainingCheckpoint.loadLatest(model.params, from: dir, as: State.self) else { return false }
        step = state.step
        optimizer.step = state.optimizerStep
        trainingSeconds = state.trainingSeconds
        return true
    }

    public func addTrainingTime(_ seconds: Double) { trainingSeconds += seconds }
}
