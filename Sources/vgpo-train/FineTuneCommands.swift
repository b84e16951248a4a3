import ArgumentParser
import Foundation
import Training

/// Options `vgpo` and `dpo` share: the recipe and its overrides.
struct FineTuneOptions: ParsableArguments {
    @Option(help: "Fine-tuning recipe (JSON).") var config: String
    @Option(help: "Stop after this many iterations in total (default: the recipe's iterations).") var stopAfter: Int?
    @Option(name: .customLong("run"), help: "Override the run folder of the recipe.") var runFolder: String?
    @Option(help: "Override the recipe's base model folder (the policy's start and the KL reference).") var base: String?

    func recipe() throws -> FineTuneConfig {
        var recipe = try FineTuneConfig.load(config)
        if let runFolder { recipe.run = runFolder }
        if let base { recipe.base = base }
        return recipe
    }

    func run(_ recipe: FineTuneConfig, method: FineTuner.Method) throws {
        let tuner = try FineTuner(config: recipe, method: method)
        FileHandle.standardError.write(Data("""
            \(method.rawValue): base \(recipe.base), reward \(recipe.reward.rawValue), \(recipe.promptsPerIteration) prompts × \
            \(recipe.rolloutsPerPrompt) rollouts per iteration; run folder \(recipe.run), iteration \(tuner.state.iteration)/\(recipe.iterations)

            """.utf8))
        try tuner.run(stopAfter: stopAfter)
    }
}

/// `vgpo-train vgpo`: VGPO fine-tuning, Algorithm 3 (issue 9). Resumes from the run's checkpoint.
struct VGPOCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vgpo",
        abstract: "Fine-tune the base ARDM with VGPO (KL + value guidance; optional online value update and ADM).",
        discussion: """
            The recipe's "vgpo" section names the value model and w_KL, and optionally "online_value" \
            and "adversarial". Each iteration samples rollouts of the current policy, then updates it; \
            log.jsonl has one line per iteration and one per evaluation ("eval": 1). The policy is kept \
            in <run>/model (fp16), the online value in <run>/value, the discriminator in <run>/discriminator.

            Example: vgpo-train vgpo --config configs/vgpo-f0v.json --kl-weight 0.015625 --run runs/vgpo-f0v-a3
                     vgpo-train vgpo --config configs/vgpo-ctc.json --no-online-value --no-adversarial --run runs/vgpo-ctc-offline
            """)

    @OptionGroup var options: FineTuneOptions
    @Option(help: "Override the recipe's w_KL (for sweeps).") var klWeight: Float?
    @Option(help: "Override the recipe's ADM weight w_A (needs an \"adversarial\" section).") var adversarialWeight: Float?
    @Flag(help: "Leave out the recipe's online value update (the value stays as loaded).") var noOnlineValue = false
    @Flag(help: "Leave out the recipe's adversarial distribution matching.") var noAdversarial = false

    func validate() throws {
        if noAdversarial && adversarialWeight != nil { throw ValidationError("--adversarial-weight and --no-adversarial contradict each other") }
    }

    func run() throws {
        var recipe = try options.recipe()
        guard recipe.vgpo != nil else { throw ValidationError("\(options.config) has no \"vgpo\" section") }
        if let klWeight { recipe.vgpo!.klWeight = klWeight }
        if noOnlineValue { recipe.vgpo!.onlineValue = nil }
        if noAdversarial { recipe.vgpo!.adversarial = nil }
        if let adversarialWeight {
            guard recipe.vgpo!.adversarial != nil else { throw ValidationError("--adversarial-weight needs an \"adversarial\" section") }
            recipe.vgpo!.adversarial!.weight = adversarialWeight
        }
        try options.run(recipe, method: .vgpo)
    }
}

/// `vgpo-train dpo`: the ARDM-DPO baseline (issue 9). Resumes from the run's checkpoint.
struct DPOCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dpo",
        abstract: "Fine-tune the base ARDM with Diffusion-DPO on best/worst rollout pairs (the paper's baseline).",
        discussion: """
            The recipe's "dpo" section sets β. Same loop, log and folders as `vgpo`.

            Example: vgpo-train dpo --config configs/dpo-f0v.json --beta 200
            """)

    @OptionGroup var options: FineTuneOptions
    @Option(help: "Override the recipe's β.") var beta: Float?

    func run() throws {
        var recipe = try options.recipe()
        guard recipe.dpo != nil else { throw ValidationError("\(options.config) has no \"dpo\" section") }
        if let beta { recipe.dpo!.beta = beta }
        try options.run(recipe, method: .dpo)
    }
}
