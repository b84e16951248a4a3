import ArgumentParser
import Audio
import Corpus
import Foundation
import NN
import Rewards

/// `vgpo-train train-ctc`: train the CTC phoneme recogniser on the corpus (docs/rewards.md).
struct TrainCTCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-ctc",
        abstract: "Train the CTC phoneme recogniser (the Task B likelihood reward and the PER metric).",
        discussion: """
            Runs until the config's steps (or --minutes) are done, checkpointing to <run>/checkpoints; \
            run it again with the same --run to resume exactly. --evaluate measures the latest checkpoint \
            on the corpus test split instead of training; --export writes a shippable fp16 model.

            Example: vgpo-train train-ctc --config configs/ctc.json --corpus data/corpus --run runs/ctc --export models/ctc
            """)

    @Option(help: "Training recipe (JSON).") var config = "configs/ctc.json"
    @Option(help: "Corpus folder built by `vgpo-train corpus`.") var corpus = "data/corpus"
    @Option(name: .customLong("run"), help: "Run folder: log.jsonl, checkpoints/, evaluation.json.") var runFolder = "runs/ctc"
    @Option(help: "Override the config's total steps.") var steps: Int?
    @Option(help: "Stop (with a checkpoint) after this many minutes; run again to continue.") var minutes: Double?
    @Option(help: "Stop (with a checkpoint) at this step; run again to continue (checks exact resume).") var stopAtStep: Int?
    @Option(help: "After training, write the model (fp16 safetensors + config.json) to this folder.") var export: String?
    @Flag(help: "Evaluate the latest checkpoint on the test split (PER seen/unseen, likelihood ranking); no training.")
    var evaluate = false
    @Flag(help: "No progress line.") var quiet = false

    func run() throws {
        var recipe = try loadJSON(CTCTrainingConfig.self, path: config)
        if let steps { recipe.steps = steps }
        let data = try CorpusTrainingData(path: corpus)
        let trainer = try CTCTrainer(config: recipe, corpus: data)
        let runURL = URL(fileURLWithPath: runFolder), checkpoints = runURL.appendingPathComponent("checkpoints")
        let resumed = try trainer.resume(from: checkpoints)
        if evaluate {
            guard resumed else { throw ValidationError("no checkpoint in \(checkpoints.path) to evaluate") }
            let report = try CTCTestReport.measure(trainer.model, corpus: data, seed: recipe.seed)
            try writeJSON(report, to: runURL.appendingPathComponent("evaluation.json"))
            print(String(decoding: try prettyJSON(report), as: UTF8.self))
            return
        }
        let log = try TrainingLog(url: runURL.appendingPathComponent("log.jsonl"), totalSteps: recipe.steps, quiet: quiet)
        log.record(resumed ? "resume" : "start", [
            "step": trainer.step, "config": config, "corpus": data.description, "seed": recipe.seed,
            "parameters": trainer.model.params.count, "train_utterances": trainer.trainingUtteranceCount,
            "blas": blasCoreName(), "threads": Parallel.workers,
        ])
        let loop = RewardTrainingLoop(totalSteps: recipe.steps, logEvery: recipe.logEvery, checkpointEvery: recipe.checkpointEvery,
                                      evaluateEvery: recipe.evaluateEvery, minutes: minutes, stopAtStep: stopAtStep)
        try loop.run(trainer, checkpoints: checkpoints, log: log, train: {
            let (loss, norm, lr) = try trainer.trainStep()
            return LoggedStep(loss: loss.feasible > 0 ? loss.perPhonemeNLL : nil, gradientNorm: norm, learningRate: lr,
                              fields: ["epoch": trainer.epoch, "skipped": loss.total - loss.feasible],
                              progressNote: String(format: "epoch %.2f", trainer.epoch))
        }, validate: { s in
            let e = try trainer.evaluate()
            log.record("validation", ["step": s, "per": e.phonemeErrorRate, "per_phoneme_nll": e.meanPerPhonemeNLL,
                                      "utterances": e.utterances])
            FileHandle.standardError.write(Data(String(format: "validation at step %d: PER %.4f, NLL/phoneme %.4f\n",
                                                       s, e.phonemeErrorRate, e.meanPerPhonemeNLL).utf8))
        })
        if let export {
            try trainer.model.save(to: URL(fileURLWithPath: export), dtype: .f16, metadata: [
                "step": "\(trainer.step)", "seed": "\(recipe.seed)", "corpus": data.description])
            print("exported the recogniser at step \(trainer.step) to \(export)")
        }
    }
}

/// Corpus.CorpusStore as the reward trainers' `TrainingCorpus`: the one adapter between them.
struct CorpusTrainingData: TrainingCorpus, @unchecked Sendable {
    let store: CorpusStore
    let path: String
    let seen: Set<String>

    init(path: String) throws {
        do { store = try CorpusStore(path: path) } catch {
            throw ValidationError("cannot open the corpus at \(path): \(error). Build it with `vgpo-train corpus --out \(path)`.")
        }
        self.path = path
        seen = Set(store.voices.filter(\.seen).map(\.id))
    }

    func utterances(_ split: TrainingSplit) -> [TrainingUtterance] {
        store.utterances(split: CorpusSplit(rawValue: split.rawValue)!).map { u in
            TrainingUtterance(id: u.id, voice: u.voice, seenVoice: seen.contains(u.voice), phonemeIDs: u.phonemeIDs,
                              frameCount: u.frameCount, text: u.text)
        }
    }

    func logMel(_ utterance: TrainingUtterance) throws -> LogMel {
        guard let u = store.utterance(id: utterance.id) else { throw ValidationError("no utterance \(utterance.id) in \(path)") }
        return try store.logMel(for: u)
    }

    func melStatistics() throws -> MelStatistics { try store.melStatistics() }

    var trainingVoices: [String] { Set(store.utterances(split: .train).map(\.voice)).sorted() }

    var description: String {
        "\(path) (size \(store.summary.size), seed \(store.summary.seed), manifest sha256 \(store.summary.manifestSHA256.prefix(12)))"
    }
}

/// Reads a recogniser or speaker-encoder recipe (camelCase keys); refuses keys it does not have.
func loadJSON<T: Codable>(_ type: T.Type, path: String) throws -> T {
    do {
        return try UnreadJSONKeys.decodeStrictly(type, from: Data(contentsOf: URL(fileURLWithPath: path)))
    } catch {
        throw ValidationError("cannot read \(path): \(error)")
    }
}

func prettyJSON<T: Encodable>(_ value: T) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try encoder.encode(value)
}

func writeJSON<T: Encodable>(_ value: T, to url: URL) throws { try writeAtomically(try prettyJSON(value), to: url) }
