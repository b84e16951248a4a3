import ARDM
import ArgumentParser
import Foundation
import Guidance
import NN
import Rewards
import Training

/// The cost of value guidance and of best-of-8 against plain synthesis of one sentence, all
/// measured in one run (issue 6, must show 4). Each mode samples `seconds` of speech (the stop
/// head disabled), vocodes with Griffin-Lim, and best-of-8 also scores its 8 candidates by F0V
/// (the cheapest reward; a CTC or SIM ranking adds about 0.02 RTF per candidate). The value
/// model is the base model's own copy with a random value head: speed does not depend on weights.
struct GuidanceBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "guidance", abstract: "Guided and best-of-8 synthesis time against plain.")
    @Option(help: "Model folder; default: random weights in the shapes of --recipe.") var model: String?
    @Option(help: "Pre-training recipe giving the shapes when no model is given.") var recipe = "configs/pretrain-base.json"
    @Option(help: "Seconds of speech generated per sequence.") var seconds = 3.0
    @Option(help: "Repeats of each mode (the median is kept).") var repeats = 3

    func run() throws {
        let ardm = try benchModel(folder: model, recipe: recipe)
        let value = ardm.makeValueModel()
        var rng = RNG(seed: 2)
        rng.fillNormal(value.params.value("head.out.weight"), count: value.config.head.width, std: 0.1)
        let D = ardm.config.tokenWidth
        let synthesizer = GuidedSynthesizer(model: ardm, maxBatch: 8, capacity: ARDMSampler.capacity(for: ardm))
        let tokens = Int(seconds / synthesizer.pipeline.secondsPerToken)
        let request = SynthesisRequest(textIDs: (0..<60).map { _ in Int32(5 + rng.int(below: 100)) },
                                       promptSpeech: (0..<(40 * D)).map { _ in rng.normal() }, seed: 1, maxTokens: tokens)
        let options = SamplingOptions(stopThreshold: 2)
        let guide = ValueGuidance(value: value, scale: 2, maxBatch: 8, capacity: synthesizer.sampler.capacity)
        let bestOf8 = BestOfK(k: 8, objective: RewardObjective(.f0v))
        let scorer = CandidateScorer(rewards: [F0VReward()])
        let plain = medianSeconds(repeats: repeats) {
            _ = synthesizer.pipeline.waveforms(of: synthesizer.generate([request], options: options))
        }
        let guided = medianSeconds(repeats: repeats) {
            _ = synthesizer.pipeline.waveforms(of: synthesizer.generate([request], options: options, guidance: guide))
        }
        var samplingOnly = 0.0
        let best = medianSeconds(repeats: repeats) {
            let t0 = now()
            let results = synthesizer.generate(bestOf8.candidates(of: request), options: options)
            samplingOnly = now() - t0
            let scored = try! scorer.score(results, inputs: results.map { _ in RewardInput(audio: []) }, pipeline: synthesizer.pipeline)
            _ = bestOf8.best(scored.map(\.scores), directions: scorer.directions)
        }
        printJSONLine(["bench": "guidance", "seconds_per_sequence": seconds, "plain_s": rounded(plain), "guided_s": rounded(guided),
                       "best_of_8_s": rounded(best), "guided_over_plain": rounded(guided / plain, 2),
                       "best_of_8_over_plain": rounded(best / plain, 2), "best_of_8_sampling_s": rounded(samplingOnly),
                       "plain_rtf": rounded(plain / seconds)])
    }
}
