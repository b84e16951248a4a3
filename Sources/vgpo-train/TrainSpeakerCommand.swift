import ArgumentParser
import Foundation
import NN
import Rewards

/// `vgpo-train train-speaker`: train the speaker encoder behind SIM (docs/rewards.md).
struct TrainSpeakerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-speaker",
        abstract: "Train the speaker encoder (SIM) by additive-margin classification of the corpus voices.",
        discussion: """
            Checkpoints to <run>/checkpoints; run again with the same --run to resume exactly. \
            --evaluate measures the latest checkpoint on the unseen voices of the test split (EER, SIM gap); \
            --export writes a shippable fp16 model.

            Example: vgpo-train train-speaker --config configs/speaker.json --corpus data/corpus --run runs/speaker --export models/speaker
            """)

    @Option(help: "Training recipe (JSON).") var config = "configs/speaker.json"
    @Option(help: "Corpus folder built by `vgpo-train corpus`.") var corpus = "data/corpus"
    @Option(name: .customLong("run"), help: "Run folder: log.jsonl, checkpoints/, evaluation.json.") var runFolder = "runs/speaker"
    @Option(help: "Override the config's total steps.") var steps: Int?
    @Option(help: "Stop (with a checkpoint) after this many minutes; run again to continue.") var minutes: Double?
    @Option(help: "Stop (with a checkpoint) at this step; run again to continue.") var stopAtStep: Int?
    @Option(help: "After training, write the encoder (fp16 safetensors + config.json) to this folder.") var export: String?
    @Flag(help: "Evaluate the latest checkpoint on the test split's unseen voices; no training.") var evaluate = false
    @Flag(help: "No progress line.") var quiet = false

    func run() throws {
        var recipe = try loadJSON(SpeakerTrainingConfig.self, path: config)
        if let steps { recipe.steps = steps }
        let data = try CorpusTrainingData(path: corpus)
        let trainer = try SpeakerTrainer(config: recipe, corpus: data)
        let runURL = URL(fileURLWithPath: runFolder), checkpoints = runURL.appendingPathComponent("checkpoints")
        let resumed = try trainer.resume(from: checkpoints)
        if evaluate {
            guard resumed else { throw ValidationError("no checkpoint in \(checkpoints.path) to evaluate") }
            let test = data.utterances(.test)
            let report = SpeakerTestReport(
                unseenVoices: try trainer.evaluate(test.filter { !$0.seenVoice }),
                seenVoices: try trainer.evaluate(test.filter(\.seenVoice)))
            try writeJSON(report, to: runURL.appendingPathComponent("evaluation.json"))
            print(String(decoding: try prettyJSON(report), as: UTF8.self))
            return
        }
        let log = try TrainingLog(url: runURL.appendingPathComponent("log.jsonl"), totalSteps: recipe.steps, quiet: quiet)
        log.record(resumed ? "resume" : "start", [
            "step": trainer.step, "config": config, "corpus": data.description, "seed": recipe.seed,
            "parameters": trainer.model.params.count, "voices": trainer.voiceCount, "threads": Parallel.workers,
        ])
        let loop = RewardTrainingLoop(totalSteps: recipe.steps, logEvery: recipe.logEvery, checkpointEvery: recipe.checkpointEvery,
                                      evaluateEvery: recipe.evaluateEvery, minutes: minutes, stopAtStep: stopAtStep)
        try loop.run(trainer, checkpoints: checkpoints, log: log, train: {
            let (loss, norm, lr) = try trainer.trainStep()
            return LoggedStep(loss: Double(loss), gradientNorm: norm, learningRate: lr)
        }, validate: { s in
            let v = try trainer.evaluate()
            log.record("validation", ["step": s, "eer": v.equalErrorRate, "sim_gap": v.similarityGap,
                                      "sim_same": v.meanSameSimilarity, "sim_different": v.meanDifferentSimilarity])
            FileHandle.standardError.write(Data(String(format: "validation at step %d: EER %.4f, SIM gap %.3f\n",
                                                       s, v.equalErrorRate, v.similarityGap).utf8))
        })
        if let export {
            try trainer.model.save(to: URL(fileURLWithPath: export), dtype: .f16, metadata: [
                "step": "\(trainer.step)", "seed": "\(recipe.seed)", "corpus": data.description])
            print("exported the speaker encoder at step \(trainer.step) to \(export)")
        }
    }
}

/// The speaker encoder's test-split numbers.
struct SpeakerTestReport: Codable {
    var unseenVoices: SpeakerVerification
    var seenVoices: SpeakerVerification
}
