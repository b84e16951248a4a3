import ArgumentParser
import Foundation
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

    func run() throws {
        var recipe = try ValueTrainConfig.load(config)
        if let runFolder { recipe.run = runFolder }
        let trainer = try ValueTrainer(config: recipe)
        FileHandle.standardError.write(Data("""
            value: \(trainer.model.params.count) parameters, \(trainer.trajectoryCount) trajectories rewarded by \
            \(recipe.reward.rawValue) (mean \(trainer.normalization.mean), std \(trainer.normalization.std)), \
            objective \(recipe.objective.rawValue); run folder \(recipe.run), step \(trainer.state.step)/\(recipe.steps)

            """.utf8))
        try trainer.run(stopAfter: stopAfter)
    }
}
