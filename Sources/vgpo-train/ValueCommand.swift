import ArgumentParser
import Foundation
import NN
import Training

/// `vgpo-train value`: value training, Algorithm 1 (issue 6). Resumes from the run's checkpoint.
struct ValueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "value",
        abstract: "Train a value model (Algorithm 1) from the base model, on corpus audio or rollouts.",
        discussion: """
            The recipe names the base model, the reward, the objective (mse or soft_exp) and the \
            trajectories ("corpus", or a rollout folder from `vgpo-train rollouts`). The latest value \
            model is kept in <run>/model; export it with `vgpo-train export`.

            Example: vgpo-train value --config configs/value-f0v.json
            """)

    @Option(help: "Value-training recipe (JSON).") var config: String
    @Option(help: "Stop after this many steps in total (default: the recipe's steps).") var stopAfter: Int?
    @Option(name: .customLong("run"), help: "Override the run folder of the recipe.") var runFolder: String?
    @Flag(help: "Validate the latest checkpoint (loss, |V − z|, corr(V, z) overall and within rollout groups) and print it as JSON; no training.")
    var evaluate = false
    @Option(help: "With --evaluate: the checkpoint step to validate (one the run still keeps) instead of the latest.")
    var checkpoint: Int?

    func run() throws {
        var recipe = try ValueTrainConfig.load(config)
        if let runFolder { recipe.run = runFolder }
        // Checked before the trainer exists: it would create the run folder and its log.
        let checkpoints = URL(fileURLWithPath: recipe.run).appendingPathComponent(ValueTrainer.checkpointsFolder)
        if checkpoint != nil, !evaluate { throw ValidationError("--checkpoint goes with --evaluate") }
        if let checkpoint {
            let folder = TrainingCheckpoint.folder(checkpoints, step: checkpoint)
            guard checkpoint > 0, FileManager.default.fileExists(atPath: folder.path) else {
                throw ValidationError("\(recipe.run) keeps no checkpoint of step \(checkpoint)")
            }
        } else if evaluate, (TrainingCheckpoint.latestStep(in: checkpoints) ?? 0) == 0 {
            throw ValidationError("no checkpoint in \(recipe.run) to evaluate")
        }
        let trainer = try ValueTrainer(config: recipe, checkpoint: checkpoint)
        let targets = recipe.shareHorizon.map { "targets: likelihood shares from \(recipe.shareLookback ?? 0) tokens back to \($0) on," } ?? "targets"
        FileHandle.standardError.write(Data("""
            value: \(trainer.model.params.count) parameters, \(trainer.trajectoryCount) trajectories rewarded by \
            \(recipe.reward.rawValue) (\(targets) mean \(trainer.normalization.mean), std \(trainer.normalization.std)), \
            objective \(recipe.objective.rawValue); run folder \(recipe.run), step \(trainer.state.step)/\(recipe.steps)

            """.utf8))
        if evaluate {
            guard let figures = trainer.validationFigures() else { throw ValidationError("no held-out trajectories to validate on") }
            print(String(decoding: try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys]), as: UTF8.self))
            return
        }
        try trainer.run(stopAfter: stopAfter)
    }
}
