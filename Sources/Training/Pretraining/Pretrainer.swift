import ARDM
import Audio
import Corpus
import Foundation
import NN
import Text

/// Pre-training of the base ARDM on the corpus (issue 10): resumable to the bit.
///
/// The run folder holds `checkpoint/` (model in f32, AdamW moments, `state.json` with the step,
/// the RNG stream and the optimiser's step count, and `average/`, the weight average as a model
/// folder, when the recipe keeps one) and `log.jsonl`. Everything random — batch
/// composition, condition dropout, diffusion times and noise — comes from the one RNG whose
/// state is checkpointed, so a resumed run computes the same losses as an uninterrupted one.
public final class Pretrainer: @unchecked Sendable {
    public let config: PretrainConfig
    public let model: ARDM
    public let phones: PhoneClasses
    let train: PairedExamples
    let validation: [[ARDMExample]]
    let workspace: ARDMTrainingWorkspace
    /// The recipe's free-running segments and the sampler that draws them with the weights being trained.
    let freeRunning: (segments: FreeRunningSegments, sampler: ARDMSampler)?
    public private(set) var state: RunState
    var optimizer: AdamW
    /// The recipe's moving average of the weights, if it keeps one.
    public let weightAverage: WeightAverage?
    let runDirectory: URL
    let log: JSONLLog

    public struct RunState: Codable, Sendable {
        public var step: Int
        public var rng: RNG
        public var optimizerStep: Int
        public var trainingSeconds: Double
        /// The step a run started from another model's weights (`initFrom`) with fresh AdamW
        /// moments: the learning rate warms up again from there. Absent for fresh runs.
        public var rewarmedFrom: Int?
        /// The step whose weights started the weight average (a run resumed with a recipe that
        /// newly keeps one starts it there). Absent without an average.
        public var averageSince: Int?
    }

    /// `initFrom`: a model folder whose weights start a new run (a run with a checkpoint resumes
    /// from it instead); a recipe with more LM layers or head blocks grows them (`ARDM.grow`).
    /// The optimiser's moments start at zero and the learning rate warms up again over the
    /// recipe's warm-up steps. Either way the run keeps the mel statistics and
    /// phone classes of the weights it starts from; only a fresh run takes the corpus's.
    public init(config: PretrainConfig, initFrom: URL? = nil) throws {
        self.config = config
        runDirectory = URL(fileURLWithPath: config.run)
        let store = try CorpusStore(path: config.corpus)
        let checkpoint = Self.newestCheckpoint(at: runDirectory)
        let initial: (model: ARDM, file: ARDMFileConfig)? = try checkpoint == nil ? initFrom.map(ARDM.load(from:)) : nil
        // Weights that train on keep the token space and phone classes they learned: a corpus
        // that has grown since (new voices move its mel statistics) must not shift them.
        let startFile = try checkpoint.map(ARDM.fileConfig(of:)) ?? initial?.file
        let statistics = try startFile?.melStatistics ?? store.melStatistics()
        phones = !config.model.auxiliaryHead ? PhoneClasses(names: [])
            : startFile.map { PhoneClasses(names: $0.auxiliaryPhoneNames) } ?? PhoneClasses(corpus: store.utterances(split: .train))
        let modelConfig = ARDMConfig(textVocabulary: PhonemeVocabulary.standard.count, lm: config.model.lm, head: config.model.head,
                                     melBins: config.model.melBins, patchFrames: config.model.patchFrames,
                                     auxiliaryPhones: phones.names.count, conditionDropout: config.model.conditionDropout,
                                     alignmentPenalty: config.model.alignmentPenalty, alignmentWidth: config.model.alignmentWidth)
        model = ARDM(config: modelConfig, melStatistics: statistics)
        train = try PairedExamples(store: store, split: .train, config: modelConfig, statistics: statistics, phones: phones,
                                   maxPositions: config.maxPositions, engineExponent: config.engineSamplingExponent)
        let held = try PairedExamples(store: store, split: .validation, config: modelConfig, statistics: statistics, phones: phones,
                                      maxPositions: config.maxPositions)
        guard !train.items.isEmpty else { throw TrainingError.noData("the corpus at \(config.corpus) has no usable train utterances") }
        // A fixed validation set: the same pairs at every evaluation.
        var validationRNG = RNG(seed: config.seed &+ 1)
        validation = held.items.isEmpty ? [] : (0..<config.validationBatches).map { _ in
            Self.batch(from: held, size: config.batchSize, maxPositions: config.maxPositions, rng: &validationRNG)
        }
        workspace = ARDMTrainingWorkspace(model: model, maxB: config.batchSize, maxT: config.maxPositions,
                                          timesPerToken: config.timesPerToken)
        freeRunning = config.freeRunningSegments.map { [model] segments in
            (segments, ARDMSampler(model: model, maxBatch: config.batchSize, capacity: config.maxPositions))
        }
        optimizer = AdamW()
        log = try JSONLLog(path: runDirectory.appendingPathComponent("log.jsonl"))
        if let checkpoint {
            state = try Self.loadCheckpoint(model: model, from: checkpoint)
            optimizer.step = state.optimizerStep
        } else if let initFrom, let (start, file) = initial {
            if start.config == model.config {
                model.params.values.copy(from: start.params.values)
            } else if model.config.grows(from: start.config) {
                model.grow(from: start, seed: config.seed)
            } else {
                throw TrainingError.badCheckpoint(path: initFrom.path, reason: "its model config differs from the recipe's "
                                                  + "in more than added LM layers or head blocks")
            }
            let step = Int(file.provenance["step"] ?? "") ?? 0
            state = RunState(step: step, rng: RNG(seed: config.seed &+ UInt64(step)), optimizerStep: 0, trainingSeconds: 0,
                             rewarmedFrom: step)
        } else {
            model.initialize(seed: config.seed)
            state = RunState(step: 0, rng: RNG(seed: config.seed), optimizerStep: 0, trainingSeconds: 0)
        }
        let params = model.params
        weightAverage = config.weightAverage.map { WeightAverage(of: params, decay: $0.decay) }
        if let weightAverage {
            if let checkpoint, state.averageSince != nil {
                try Self.loadAverage(into: weightAverage, layout: params.layout, from: checkpoint)
            } else {
                state.averageSince = state.step
            }
        } else {
            state.averageSince = nil
        }
    }

    public var trainItems: Int { train.items.count }
    /// The chance that a training target comes from each engine.
    public var engineProbabilities: [String: Float] { train.engineProbabilities }

    /// B examples whose sequences fit `maxPositions` (redrawn until they do), each then warped
    /// by `voiceWarp` if given.
    static func batch(from data: PairedExamples, size: Int, maxPositions: Int, voiceWarp: VoiceWarp? = nil,
                      rng: inout RNG) -> [ARDMExample] {
        (0..<size).map { _ in
            while true {
                var e = data.randomExample(&rng)
                guard data.positions(of: e) <= maxPositions else { continue }
                voiceWarp?.maybeApply(to: &e, spectral: data.spectral, statistics: data.statistics, rng: &rng)
                return e
            }
        }
    }

    /// Trains until `config.finalStep` (or `stopAfter` steps in total), checkpointing as
    /// configured and at the end. Returns the losses of the steps run.
    @discardableResult
    public func run(stopAfter: Int? = nil, progress: Bool = true) throws -> [ARDMLosses] {
        let last = min(config.finalStep, stopAfter ?? config.finalStep)
        let bar = ProgressLine(total: config.finalStep, startingAt: state.step)
        var history: [ARDMLosses] = []
        while state.step < last {
            let t0 = Date()
            var batch = Self.batch(from: train, size: config.batchSize, maxPositions: config.maxPositions,
                                   voiceWarp: config.voiceWarp, rng: &state.rng)
            let segments = freeRunning.map { $0.sampler.freeRun(&batch, $0.segments, rng: &state.rng) } ?? []
            model.params.zeroGrads()
            let losses = model.trainingStep(batch, workspace, rng: &state.rng, weights: config.lossWeights,
                                            historyNoise: config.historyNoise ?? 0, predictedHistory: config.predictedHistory ?? 0)
            let norm = clipGradientNorm(model.params, maxNorm: config.gradClip)
            let lr = config.schedule.rate(at: state.step, rewarmingFrom: state.rewarmedFrom)
            optimizer.update(model.params, lr: lr)
            weightAverage?.update(from: model.params)
            state.step += 1
            state.optimizerStep = optimizer.step
            let seconds = Date().timeIntervalSince(t0)
            state.trainingSeconds += seconds
            history.append(losses)
            var entry: [String: Any] = ["step": state.step, "loss": losses.total, "diffusion": losses.diffusion, "stop": losses.stop,
                                        "auxiliary": losses.auxiliary, "alignment": losses.alignment, "grad_norm": norm, "lr": lr,
                                        "seconds": seconds]
            // How far the model's own timing ran from the corpus's.
            let drifts = segments.compactMap(\.drift)
            if !drifts.isEmpty {
                entry["realigned_segments"] = drifts.count
                entry["segment_drift"] = Double(drifts.reduce(0, +)) / Double(drifts.count)
            }
            log.write(entry)
            if progress {
                bar.update(state.step, String(format: "loss %.4f (diff %.4f stop %.4f aux %.3f align %.3f) |g| %.2f",
                                              losses.total, losses.diffusion, losses.stop, losses.auxiliary, losses.alignment, norm))
            }
            if state.step % config.validateEvery == 0 || state.step == last { validateAndLog() }
            if state.step % config.checkpointEvery == 0 || state.step == last { try saveCheckpoint() }
        }
        if progress { bar.finish() }
        return history
    }

    /// Mean losses over the fixed validation batches (no dropout, fixed noise; no update).
    public func validate() -> ARDMLosses? {
        guard !validation.isEmpty else { return nil }
        var rng = RNG(seed: config.seed &+ 2)
        let all = validation.map { batch -> ARDMLosses in
            defer { model.params.zeroGrads() }
            return model.trainingStep(batch, workspace, rng: &rng, weights: config.lossWeights, conditionDropout: 0)
        }
        func mean(_ f: (ARDMLosses) -> Float) -> Float { all.map(f).reduce(0, +) / Float(all.count) }
        return ARDMLosses(diffusion: mean(\.diffusion), stop: mean(\.stop), auxiliary: mean(\.auxiliary),
                          alignment: mean(\.alignment), total: mean(\.total))
    }

    /// The validation losses of the weights, and of the weight average if there is one.
    func validateAndLog() {
        guard let v = validate() else { return }
        var entry: [String: Any] = ["step": state.step, "validation_loss": v.total, "validation_diffusion": v.diffusion,
                                    "validation_stop": v.stop, "validation_auxiliary": v.auxiliary,
                                    "validation_alignment": v.alignment]
        var line = String(format: "validation at step %d: loss %.4f (diff %.4f stop %.4f aux %.3f)",
                          state.step, v.total, v.diffusion, v.stop, v.auxiliary)
        if let weightAverage, let a = withWeights(weightAverage.values, validate) {
            entry["validation_average_loss"] = a.total
            entry["validation_average_diffusion"] = a.diffusion
            line += String(format: "; weight average: loss %.4f (diff %.4f)", a.total, a.diffusion)
        }
        log.write(entry)
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Runs `body` with `weights` in the model, then puts the model's own back.
    func withWeights<T>(_ weights: Slab, _ body: () -> T) -> T {
        let own = Slab(count: model.params.values.count)
        own.copy(from: model.params.values)
        model.params.values.copy(from: weights)
        defer { model.params.values.copy(from: own) }
        return body()
    }
}
