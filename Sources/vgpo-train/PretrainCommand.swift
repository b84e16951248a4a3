import ArgumentParser
import Foundation
import Training

/// `vgpo-train pretrain`: pre-trains the base ARDM (issue 10). Resumes from the run folder's
/// checkpoint when there is one, so the same command continues a run.
struct PretrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain",
        abstract: "Pre-train the base ARDM on the corpus (resumes from the run's checkpoint).",
        discussion: "Example: vgpo-train pretrain --config configs/pretrain-base.json")

    @Option(help: "Training recipe (JSON).") var config: String
    @Option(help: "Stop after this many steps in total (default: the recipe's steps).") var stopAfter: Int?
    @Option(name: .customLong("run"), help: "Override the run folder of the recipe.") var runFolder: String?
    @Option(help: "Start a new run from this model folder's weights (e.g. models/base); ignored when the run has a checkpoint.")
    var initFrom: String?

    func run() throws {
        var recipe = try PretrainConfig.load(config)
        if let runFolder { recipe.run = runFolder }
        let trainer = try Pretrainer(config: recipe, initFrom: initFrom.map { URL(fileURLWithPath: $0) })
        FileHandle.standardError.write(Data("""
            pretrain: \(trainer.model.params.count) parameters, \(trainer.trainItems) train utterances, \
            \(trainer.phones.names.count) auxiliary phone classes; run folder \(recipe.run), step \(trainer.state.step)/\(recipe.finalStep); \
            targets by engine \(trainer.engineProbabilities.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.2f", $0.value))" }.joined(separator: ", ")); \
            history noise up to \(recipe.historyNoise ?? 0); predicted history in \(recipe.predictedHistory ?? 0) of sequences\
            \(recipe.freeRunningSegments.map { "; free-running segments of \($0.tokens) tokens in \($0.probability) of sequences" } ?? "")\
            \(recipe.voiceWarp.map { "; voices warped in \($0.fraction) of sequences, factors 1/\($0.maxFactor) to \($0.maxFactor)" } ?? "")\
            \(recipe.cooldown.map { "; cool-down to the floor rate from step \($0.start) over \($0.steps) steps" } ?? "")\
            \(trainer.weightAverage.map { "; weights averaged (decay \($0.decay)) since step \(trainer.state.averageSince ?? 0)" } ?? "")

            """.utf8))
        try trainer.run(stopAfter: stopAfter)
    }
}
