import ArgumentParser
import Foundation
import NN
import Training

/// The time of one VGPO iteration split into its parts (issue 9, must show 4), measured in one
/// run: sampling the rollouts (with vocoding and the reward), the policy update, the online
/// value update and the discriminator's, and the fraction of the process's CPU time spent
/// inside OpenBLAS. Runs the recipe's first iterations in a scratch run folder.
struct VGPOIterationBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vgpo-iter",
                                                    abstract: "Time one VGPO iteration by part, with the BLAS share of CPU time.")
    @Option(help: "VGPO recipe (its models and corpus must exist).") var config = "configs/vgpo-f0v.json"
    @Option(help: "Iterations to run (the median of each part is kept).") var iterations = 3

    func run() throws {
        var recipe = try FineTuneConfig.load(config)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("vgpo-iter-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        recipe.run = scratch.path
        recipe.checkpointEvery = Int.max
        let tuner = try FineTuner(config: recipe, method: .vgpo)
        BLASClock.isEnabled = true
        BLASClock.reset()
        let cpu0 = processCPUSeconds(), wall0 = now()
        let entries = try tuner.run(stopAfter: iterations, progress: false, evaluations: false)
        let cpu = processCPUSeconds() - cpu0, wall = now() - wall0
        // The iteration of median total time, reported with its own parts.
        let median = entries.sorted { $0["seconds"]! < $1["seconds"]! }[entries.count / 2]
        func part(_ key: String) -> Double { median[key] ?? 0 }
        let parts = ["sampling_seconds", "policy_seconds", "value_seconds", "discriminator_seconds"]
        printJSONLine(["bench": "vgpo-iter", "iterations": iterations, "rollouts": recipe.promptsPerIteration * recipe.rolloutsPerPrompt,
                       "iteration_s": rounded(part("seconds")), "sampling_s": rounded(part(parts[0])),
                       "policy_update_s": rounded(part(parts[1])), "value_update_s": rounded(part(parts[2])),
                       "discriminator_update_s": rounded(part(parts[3])),
                       "other_s": rounded(part("seconds") - parts.map(part).reduce(0, +)),
                       "blas_fraction_of_cpu": rounded(BLASClock.seconds / cpu, 3), "cpu_over_wall": rounded(cpu / wall, 2)])
    }
}

/// User + system CPU seconds of this process so far (all threads).
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}
