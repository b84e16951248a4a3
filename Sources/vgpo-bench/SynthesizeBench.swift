import ARDM
import ArgumentParser
import Foundation
import NN
import Training

/// Real-time factor of sampling (LM with KV cache + diffusion head, CFG on, 16 steps) at batch 1
/// and per sequence at batch 8, for a model folder or, without one, the base recipe's shapes with
/// random weights (speed does not depend on the weights: the stop head is disabled here and
/// every sequence generates exactly `seconds` of tokens).
struct SynthesizeBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "synthesize", abstract: "Sampling real-time factor at batch 1 and 8.")
    @Option(help: "Model folder; default: random weights in the shapes of --recipe.") var model: String?
    @Option(help: "Pre-training recipe giving the shapes when no model is given.") var recipe = "configs/pretrain-base.json"
    @Option(help: "Seconds of speech generated per sequence.") var seconds = 4.0
    @Option(help: "Diffusion steps.") var steps = 16
    @Option(help: "Batch sizes to time, comma-separated (the speed-up needs 1 and 8).") var batches = BatchSizes(argument: "1,8")!

    func run() throws {
        let ardm = try benchModel(folder: model, recipe: recipe)
        let secondsPerToken = Double(ardm.config.patchFrames * 256) / 16_000
        let tokens = Int(seconds / secondsPerToken)
        let D = ardm.config.tokenWidth
        var rng = RNG(seed: 3)
        let prompt = (0..<(40 * D)).map { _ in rng.normal() }
        let text = (0..<80).map { _ in Int32(5 + rng.int(below: 100)) }
        let options = SamplingOptions(steps: steps, cfg: 2, stopThreshold: 2)
        var result: [String: Any] = ["bench": "synthesize", "steps": steps, "cfg": 2, "seconds_per_sequence": seconds,
                                     "parameters": ardm.params.count]
        var perSequence: [Int: Double] = [:]
        for batch in batches.sizes {
            let sampler = ARDMSampler(model: ardm, maxBatch: batch, capacity: 82 + 40 + tokens + 2)
            let requests = (0..<batch).map { SynthesisRequest(textIDs: text, promptSpeech: prompt, seed: UInt64($0), maxTokens: tokens) }
            let wall = medianSeconds(warmup: 0, repeats: 1) { _ = sampler.generate(requests, options: options) }
            perSequence[batch] = wall / Double(batch)
            result["rtf_batch\(batch)"] = rounded(wall / seconds, 4)
        }
        if let one = perSequence[1], let eight = perSequence[8] {
            result["rtf_per_sequence_batch8"] = rounded(eight / seconds, 4)
            result["batch8_speedup_per_sequence"] = rounded(one / eight, 2)
        }
        printJSONLine(result)
    }
}

/// A comma-separated list of positive batch sizes ("1,8"); anything else is refused when the
/// arguments are parsed.
struct BatchSizes: ExpressibleByArgument {
    let sizes: [Int]

    init?(argument: String) {
        let parsed = argument.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parsed.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        sizes = parsed.map { $0! }
    }

    var defaultValueDescription: String { sizes.map(String.init).joined(separator: ",") }
}
