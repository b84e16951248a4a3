import ARDM
import ArgumentParser
import Corpus
import Foundation
import Guidance
import NN
import Rewards
import Training

/// `vgpo-train eval`: the paper's tables on Task A or B (issue 6): the base model, best-of-K
/// by the task's reward, and value-guided sampling at several scales, over several seeds.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate base, best-of-K, value-guided sampling and fine-tuned models on Task A or B; write Markdown and JSON tables.",
        discussion: """
            Task A reports F0V, PER and SIM; Task B the per-phoneme CTC NLL, PER and SIM. Best-of-K ranks \
            by the task's reward (f0v, ctc_likelihood); best-of-16 reuses the first 16 of the 64 candidates. \
            Fine-tuned models (--finetuned NAME=PATH,...) get a row each with the KL column: the mean \
            ‖ε_θ − ε_μ‖² of their LM-guided predictions against the base model's on their own samples.

            Example: vgpo-train eval --task A --value models/value-f0v --scales 1,2,4,8 --best-of 16,64 \\
                       --seeds 1,2 --out docs/results/task-a
            """)

    @Option(help: "Task: A or B.") var task: String
    @Option(help: "Base model folder.") var model = "models/base"
    @Option(help: "Value model folder for the guided rows (none: no guided rows).") var value: String?
    @Option(help: "Guidance scales λ per unit of the reward (the paper's s), comma-separated.") var scales = "4,16,32,64"
    @Option(help: "Best-of-K sizes, comma-separated (empty: none).") var bestOf = "16,64"
    @Option(help: "Seeds, comma-separated; every method runs once per seed.") var seeds = "1"
    @Option(help: "Use only the first N items of the task.") var count: Int?
    @Option(help: "Corpus folder.") var corpus = "data/corpus"
    @Option(help: "CTC recogniser folder.") var ctc = "models/ctc"
    @Option(help: "Speaker encoder folder.") var speaker = "models/speaker"
    @Option(help: "Diffusion steps.") var steps = 16
    @Option(help: "Sequences sampled at once.") var batch = 8
    @Option(help: "Fine-tuned models as NAME=PATH, comma-separated (e.g. VGPO=models/vgpo-f0v,DPO=runs/dpo-f0v/model).")
    var finetuned = ""
    @Option(help: "Output folder: table.md and table.json.") var out: String?

    func run() throws {
        guard let evalTask = EvalTask(rawValue: task.uppercased()) else { throw ValidationError("--task must be A or B") }
        let seedList = try list(seeds, UInt64.init, "--seeds"), scaleList = try list(scales, Float.init, "--scales")
        let kList = bestOf.isEmpty ? [] : try list(bestOf, Int.init, "--best-of")
        let store = try CorpusStore(path: corpus)
        var items = try evalTask.items(store)
        if let count { items = Array(items.prefix(count)) }
        let (ardm, _) = try ARDM.load(from: URL(fileURLWithPath: model))
        let valueModel = try value.map { try ValueModelFile.load(from: URL(fileURLWithPath: $0)) }
        let scorer = CandidateScorer(rewards: try RewardCatalog(ctcModel: URL(fileURLWithPath: ctc),
                                                                 speakerModel: URL(fileURLWithPath: speaker))
            .make(Array(Set(evalTask.columns.map(\.reward) + [evalTask.reward])).sorted { $0.rawValue < $1.rawValue }))
        let maxSeconds = 30.0
        let synthesizer = GuidedSynthesizer(model: ardm, maxBatch: batch, capacity: ARDMSampler.capacity(for: ardm))
        // Requests and reward inputs per item (prompt audio decoded once).
        var requests: [SynthesisRequest] = [], inputs: [RewardInput] = []
        for item in items {
            guard let prompt = store.utterance(id: item.prompt.utteranceID) else { throw ValidationError("no prompt utterance \(item.prompt.utteranceID)") }
            let audio = try store.audio(for: prompt)
            requests.append(try synthesizer.pipeline.request(text: item.targetText, promptText: prompt.text, promptAudio: audio,
                                                             seed: 0, maxSeconds: maxSeconds))
            inputs.append(RewardInput(audio: [], phonemeIDs: item.targetPhonemeIDs, promptAudio: audio))
        }
        let options = SamplingOptions(steps: steps)
        var table = EvalTable(task: evalTask)
        let maxK = kList.max() ?? 1
        // Plain sampling and best-of-K share candidates: candidate 0 of each item is the plain sample.
        var plain: [[EvalColumn: [Double]]] = [], plainStops: [Bool] = []
        var best = [Int: ([[EvalColumn: [Double]]], [Bool])]()
        for seed in seedList {
            let candidates = seeded(requests, seed: seed).flatMap {
                BestOfK(k: maxK, objective: RewardObjective(evalTask.reward)).candidates(of: $0)
            }
            let scored = try sampleAndScore(synthesizer, candidates, inputs: inputs.flatMap { Array(repeating: $0, count: maxK) },
                                            options: options, guidance: nil, scorer: scorer, label: "seed \(seed): \(maxK) candidates")
            plain.append(columns(evalTask, stride(from: 0, to: scored.count, by: maxK).map { scored[$0] }))
            plainStops += stride(from: 0, to: scored.count, by: maxK).map { scored[$0].result.stopped }
            for k in kList {
                let selector = BestOfK(k: k, objective: RewardObjective(evalTask.reward))
                let chosen = stride(from: 0, to: scored.count, by: maxK).map { start in
                    scored[start + selector.best(scored[start..<(start + k)].map(\.scores), directions: scorer.directions)]
                }
                best[k, default: ([], [])].0.append(columns(evalTask, chosen))
                best[k, default: ([], [])].1 += chosen.map(\.result.stopped)
            }
        }
        table.add(method: "base", perSeed: plain, stopped: plainStops)
        for k in kList { table.add(method: "best-of-\(k)", perSeed: best[k]!.0, stopped: best[k]!.1) }
        if let valueModel {
            for scale in scaleList {
                let guide = synthesizer.guide(value: valueModel, scale: scale)
                var perSeed: [[EvalColumn: [Double]]] = [], stops: [Bool] = []
                for seed in seedList {
                    let scored = try sampleAndScore(synthesizer, seeded(requests, seed: seed), inputs: inputs, options: options, guidance: guide,
                                                    scorer: scorer, label: "seed \(seed): guided λ = \(scale)")
                    perSeed.append(columns(evalTask, scored)); stops += scored.map(\.result.stopped)
                }
                table.add(method: "guided λ=\(formatScale(scale))", perSeed: perSeed, stopped: stops)
            }
        }
        for spec in finetuned.split(separator: ",").map(String.init) {
            let named = NamedPath(spec)
            guard let name = named.name, !name.isEmpty, !named.path.isEmpty else {
                throw ValidationError("--finetuned: '\(spec)' is not NAME=PATH")
            }
            let (tuned, _) = try ARDM.load(from: URL(fileURLWithPath: named.path))
            let tunedSynthesizer = GuidedSynthesizer(model: tuned, maxBatch: batch, capacity: synthesizer.sampler.capacity)
            var perSeed: [[EvalColumn: [Double]]] = [], stops: [Bool] = [], samples: [ARDMExample] = []
            for seed in seedList {
                let seededRequests = seeded(requests, seed: seed)
                let scored = try sampleAndScore(tunedSynthesizer, seededRequests, inputs: inputs, options: options, guidance: nil,
                                                scorer: scorer, label: "seed \(seed): \(name)")
                perSeed.append(columns(evalTask, scored)); stops += scored.map(\.result.stopped)
                samples += zip(seededRequests, scored).map { ARDMExample(rollout: $1.result, of: $0, tokenWidth: tuned.config.tokenWidth) }
            }
            var rng = RNG(seed: 99)
            let kl = klProxy(policy: tuned, reference: ardm, samples: samples, cfg: options.cfg, pointsPerSequence: 8, rng: &rng)
            table.add(method: name, perSeed: perSeed, stopped: stops, kl: kl)
        }
        print(table.markdown, terminator: "")
        if let out { try write(table, items: items.count, seeds: seedList, to: URL(fileURLWithPath: out)) }
    }

    func sampleAndScore(_ synthesizer: GuidedSynthesizer, _ requests: [SynthesisRequest], inputs: [RewardInput],
                        options: SamplingOptions, guidance: ValueGuidance?, scorer: CandidateScorer, label: String) throws -> [ScoredSample] {
        let bar = ProgressLine(total: requests.count, interval: 20)
        var scored: [ScoredSample] = []
        for start in stride(from: 0, to: requests.count, by: batch) {
            let end = min(start + batch, requests.count)
            let results = synthesizer.generate(Array(requests[start..<end]), options: options, guidance: guidance)
            scored += try scorer.score(results, inputs: Array(inputs[start..<end]), pipeline: synthesizer.pipeline)
            bar.update(end, label, force: end == requests.count)
        }
        return scored
    }

    /// Item i's sampling seed for run `seed`: the same for every method, so rows compare the
    /// same draws (best-of-K candidate 0 and the guided sample start from the plain sample's noise).
    func seeded(_ requests: [SynthesisRequest], seed: UInt64) -> [SynthesisRequest] {
        requests.enumerated().map { i, r in
            var s = r
            s.seed = seed &* 1_000_003 &+ UInt64(i) &* 1009
            return s
        }
    }

    func columns(_ task: EvalTask, _ samples: [ScoredSample]) -> [EvalColumn: [Double]] {
        Dictionary(uniqueKeysWithValues: task.columns.map { c in (c, samples.map { c.value($0.scores) }) })
    }

    func formatScale(_ s: Float) -> String { s == s.rounded() ? String(Int(s)) : String(s) }

    func list<T>(_ text: String, _ parse: (String) -> T?, _ flag: String) throws -> [T] {
        try text.split(separator: ",").map {
            guard let v = parse($0.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("\(flag): cannot read '\($0)'") }
            return v
        }
    }

    func write(_ table: EvalTable, items: Int, seeds: [UInt64], to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let header = """
            Task \(table.task.rawValue): \(items) items × \(seeds.count) seed(s) (\(seeds.map(String.init).joined(separator: ", "))), \
            \(steps) DDPM steps, LM guidance w = 2; model \(model)\(value.map { ", value model \($0)" } ?? "").
            Means over items and seeds (± the spread of the per-seed means); table.json also holds every \
            sample's values, for paired comparisons between rows.


            """
        try writeAtomically(Data((header + table.markdown).utf8), to: folder.appendingPathComponent("table.md"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeAtomically(try encoder.encode(table.rows), to: folder.appendingPathComponent("table.json"))
    }
}
