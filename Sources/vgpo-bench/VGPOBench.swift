import ArgumentParser
import NN

/// Benchmarks of the engine. Each prints, as its last line, one JSON object of measurements
/// taken in the same run (ratios, not absolute timings, are what the issues set targets on).
@main
struct VGPOBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vgpo-bench",
        abstract: "Measure the speed of the VGPO engine's parts.",
        subcommands: [TrainStepBench.self, DecodeStepBench.self, SgemmBench.self, FrontendBench.self, SynthesizeBench.self, RewardsBench.self, GuidanceBench.self, ServerBench.self, VGPOIterationBench.self, FewRowsBench.self])

    /// Picks OpenBLAS's fast kernels (may re-execute once) before any work starts.
    static func main() {
        selectBLASKernels()
        main(nil)
    }
}
