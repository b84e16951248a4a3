import ARDM
import Corpus
import Foundation
import Guidance
import NN
import Rewards

/// Writes a rollout set (see `RolloutSet`): groups of G samples of the base model for random
/// prompt/target pairs of the corpus train split (prompt and target from one seen voice), or
/// with `hardTexts` a prompt and a hard text made from train sentences, each vocoded and
/// rewarded. Group g draws its pair and seeds from `seed + g` alone, so a run that stops and
/// restarts writes exactly what one uninterrupted run would.
public struct RolloutGenerator {
    public let header: RolloutSet.Header
    public let folder: URL
    public let seed: UInt64
    public let batch: Int
    /// The longest rollout of a hard text, as Task B's evaluation allows.
    static let hardTextMaxSeconds = 30.0

    public init(header: RolloutSet.Header, folder: URL, seed: UInt64, batch: Int) {
        self.header = header; self.folder = folder; self.seed = seed; self.batch = batch
    }

    /// Generates groups until there are `groups` complete ones.
    public func run(groups: Int, rewards: RewardCatalog, progress: Bool = true) throws {
        let done = try RolloutSet.prepareFolder(folder, for: header)
        let store = try CorpusStore(path: header.corpus)
        let (model, _) = try ARDM.load(from: URL(fileURLWithPath: header.model))
        let reward = try rewards.make([header.reward])[0]
        let synthesizer = GuidedSynthesizer(model: model, maxBatch: batch, capacity: ARDMSampler.capacity(for: model))
        let pairs = try PromptPairs(store: store)
        let hardTexts = header.hardTexts == true ? try HardTexts(store: store, phonemizer: synthesizer.pipeline.phonemizer) : nil
        let lines = try JSONLLog(path: folder.appendingPathComponent(RolloutSet.linesFile))
        let todo = (0..<groups).filter { !done.contains($0) }
        let bar = ProgressLine(total: groups, startingAt: groups - todo.count, interval: 20)
        let groupsPerBatch = max(1, batch / header.groupSize)
        for start in stride(from: 0, to: todo.count, by: groupsPerBatch) {
            var requests: [SynthesisRequest] = [], inputs: [RewardInput] = [], owners: [(group: Int, prompt: Utterance, target: Target)] = []
            for group in todo[start..<min(start + groupsPerBatch, todo.count)] {
                var rng = RNG(seed: seed &+ UInt64(group))
                let (prompt, utterance) = pairs.draw(&rng)
                let target = try hardTexts.map { try Target(hard: $0.draw(&rng), group: group) } ?? Target(utterance: utterance)
                let promptAudio = try store.audio(for: prompt)
                let request = try synthesizer.pipeline.request(text: target.text, promptText: prompt.text, promptAudio: promptAudio,
                                                               seed: rng.next(), maxSeconds: target.maxSeconds)
                for candidate in BestOfK(k: header.groupSize, objective: RewardObjective(header.reward)).candidates(of: request) {
                    requests.append(candidate)
                    inputs.append(RewardInput(audio: [], phonemeIDs: target.phonemeIDs, promptAudio: promptAudio))
                    owners.append((group, prompt, target))
                }
            }
            let results = synthesizer.generate(requests, options: SamplingOptions())
            let scored = try CandidateScorer(rewards: [reward]).score(results, inputs: inputs, pipeline: synthesizer.pipeline)
            for (i, sample) in scored.enumerated() {
                let target = owners[i].target
                let rollout = RolloutSet.Rollout(group: owners[i].group, prompt: owners[i].prompt.id, target: target.id,
                                                 seed: requests[i].seed, reward: sample.scores[header.reward]!.value,
                                                 stopped: sample.result.stopped, tokens: sample.result.tokens,
                                                 targetText: target.isHard ? target.text : nil,
                                                 targetPhonemeIDs: target.isHard ? target.phonemeIDs : nil)
                try lines.append(rollout)
            }
            if progress {
                let mean = scored.map { $0.scores[header.reward]!.value }.reduce(0, +) / Double(scored.count)
                bar.update(groups - todo.count + min(start + groupsPerBatch, todo.count),
                           String(format: "%@ mean %.3f in the last batch", header.reward.rawValue, mean))
            }
        }
        if progress { bar.finish() }
    }

    /// What a group's rollouts say: a train utterance's text, or a hard text.
    struct Target {
        let id: String, text: String, phonemeIDs: [Int32], maxSeconds: Double, isHard: Bool

        init(utterance: Utterance) {
            id = utterance.id; text = utterance.text; phonemeIDs = utterance.phonemeIDs
            maxSeconds = 2 * utterance.duration + 1; isHard = false
        }

        init(hard: (text: String, phonemeIDs: [Int32]), group: Int) {
            id = "hard-\(group)"; text = hard.text; phonemeIDs = hard.phonemeIDs
            maxSeconds = RolloutGenerator.hardTextMaxSeconds; isHard = true
        }
    }
}
