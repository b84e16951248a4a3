import ArgumentParser
import NN

/// The training engine: corpus, pre-training, rewards, value models, VGPO, baselines, evaluation.
/// Subcommands are added as the engine's parts land (README "vgpo-train").
@main
struct VGPOTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vgpo-train",
        abstract: "Train and evaluate VGPO text-to-speech models on this machine's CPUs.",
        subcommands: [CorpusCommand.self, F0Command.self, PretrainCommand.self, SynthesizeCommand.self, TrainCTCCommand.self, TrainSpeakerCommand.self, ScoreCommand.self, EvalBaseCommand.self, ExportCommand.self, ValueCommand.self, RolloutsCommand.self, EvalCommand.self, VGPOCommand.self, DPOCommand.self, PlotCommand.self])

    /// Picks OpenBLAS's fast kernels (may re-execute once) before any work starts.
    static func main() {
        selectBLASKernels()
        main(nil)
    }
}
