import ARDM
import Corpus
import Foundation
import NN
import Rewards

/// Samples of the base model with their rewards, the trajectories of value training for
/// Task B (paper §4.3). A rollout set is a folder:
///
///   rollouts.json    header: the reward, the model, the corpus, the group size
///   rollouts.jsonl   one rollout per line: group, prompt and target utterance ids, seed,
///                    raw reward, whether it stopped, and its generated tokens (f16, base64);
///                    a hard text's rollout carries its text and phoneme ids instead of a
///                    target utterance
///
/// A group is G rollouts of the same prompt/target pair (different seeds); value training
/// normalises rewards within each group (GRPO's group normalisation), so the value learns
/// what makes one rendition of a sentence better than another, not which sentences are easy.
/// With token shares (`RolloutRescorer`), each rollout also says per token where it loses its
/// CTC likelihood, so value training can learn a token's own effect (`ValueTrainConfig.shareHorizon`).
/// The lines file is append-only, so generation resumes where it stopped.
public struct RolloutSet: Sendable {
    public struct Header: Codable, Sendable, Equatable {
        public var reward: RewardName
        public var model: String
        public var corpus: String
        public var groupSize: Int
        /// Whether every rollout carries `tokenShares` (CTC likelihood rollouts rescored with
        /// `--token-shares`).
        public var tokenShares: Bool?
        /// Whether the targets are hard texts (Task B's kind, `HardSentenceMaker`, joined from
        /// train-split sentences) rather than train-split utterances.
        public var hardTexts: Bool?
        public init(reward: RewardName, model: String, corpus: String, groupSize: Int, tokenShares: Bool? = nil,
                    hardTexts: Bool? = nil) {
            self.reward = reward; self.model = model; self.corpus = corpus; self.groupSize = groupSize
            self.tokenShares = tokenShares; self.hardTexts = hardTexts
        }
    }

    public struct Rollout: Codable, Sendable {
        public var group: Int
        public var prompt: String
        public var target: String
        public var seed: UInt64
        public var reward: Double
        public var stopped: Bool
        /// Generated tokens (S, D) as little-endian f16, base64.
        public var tokens: String
        /// Per generated token, its share of ln p(phonemes | audio) under the CTC recogniser
        /// (the shares of the recogniser frames it spans): where the rollout loses likelihood.
        public var tokenShares: [Float]?
        /// A hard text's text and phoneme ids (`target` then names it `hard-<group>`).
        public var targetText: String?
        public var targetPhonemeIDs: [Int32]?

        public init(group: Int, prompt: String, target: String, seed: UInt64, reward: Double, stopped: Bool, tokens: [Float],
                    targetText: String? = nil, targetPhonemeIDs: [Int32]? = nil) {
            self.group = group; self.prompt = prompt; self.target = target; self.seed = seed; self.reward = reward
            self.stopped = stopped; self.targetText = targetText; self.targetPhonemeIDs = targetPhonemeIDs
            var bytes = Data(capacity: tokens.count * 2)
            for x in tokens { withUnsafeBytes(of: float16Bits(x).littleEndian) { bytes.append(contentsOf: $0) } }
            self.tokens = bytes.base64EncodedString()
        }

        /// The target's phoneme ids: the hard text's own, or its corpus utterance's.
        func phonemeIDs(in store: CorpusStore) throws -> [Int32] {
            if let targetPhonemeIDs { return targetPhonemeIDs }
            guard let utterance = store.utterance(id: target) else { throw TrainingError.noData("rollouts name utterance \(target), not in the corpus") }
            return utterance.phonemeIDs
        }

        public func decodedTokens() -> [Float] {
            guard let data = Data(base64Encoded: tokens) else { return [] }
            return stride(from: 0, to: data.count - 1, by: 2).map { i in
                floatFromFloat16(UInt16(data[data.startIndex + i]) | UInt16(data[data.startIndex + i + 1]) << 8)
            }
        }
    }

    public var header: Header
    public var rollouts: [Rollout]
    public var reward: RewardName { header.reward }

    static let headerFile = "rollouts.json", linesFile = "rollouts.jsonl"

    public static func load(from folder: URL) throws -> RolloutSet {
        let header = try JSONFile.read(Header.self, from: folder.appendingPathComponent(headerFile))
        let text = (try? String(contentsOf: folder.appendingPathComponent(linesFile), encoding: .utf8)) ?? ""
        let decoder = JSONDecoder()
        // A line cut short by a crash is dropped with the rest of its group.
        let rollouts = text.split(separator: "\n").compactMap { try? decoder.decode(Rollout.self, from: Data($0.utf8)) }
        let complete = Dictionary(grouping: rollouts, by: \.group).filter { $0.value.count == header.groupSize }
        return RolloutSet(header: header, rollouts: rollouts.filter { complete[$0.group] != nil })
    }

    /// Readies `folder` to receive the rollouts `header` describes: a new folder gets the header,
    /// an existing one must hold the same set (a resumed run never mixes two). Returns the groups
    /// already complete there.
    static func prepareFolder(_ folder: URL, for header: Header) throws -> Set<Int> {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let headerURL = folder.appendingPathComponent(headerFile)
        if FileManager.default.fileExists(atPath: headerURL.path) {
            guard try JSONFile.read(Header.self, from: headerURL) == header else {
                throw TrainingError.badConfig(path: folder.path, reason: "holds rollouts of another model, corpus, reward or group size")
            }
        } else {
            try JSONFile.write(header, to: headerURL)
        }
        return Set(try load(from: folder).rollouts.map(\.group))
    }

    /// The complete groups so far.
    public var groupCount: Int { Set(rollouts.map(\.group)).count }

    /// Trajectories for value training, every 20th group held out for validation, each reward
    /// made a target with the rest of its group as `targets` says; with `shareHorizon` H, each
    /// token's target is its share and those of the H − 1 tokens after it and the
    /// `shareLookback` tokens before it (rollouts without shares are left out).
    func trajectories(store: CorpusStore, model: ARDM, maxPositions: Int, targets: GroupTargets,
                      shareHorizon: Int? = nil, shareLookback: Int = 0) throws -> (RolloutTrajectories, RolloutTrajectories) {
        let train = RolloutTrajectories(), held = RolloutTrajectories()
        var tokenCache: [String: [Float]] = [:]
        func promptTokens(_ id: String) throws -> (Utterance, [Float]) {
            guard let u = store.utterance(id: id) else { throw TrainingError.noData("rollouts name utterance \(id), not in the corpus") }
            if let t = tokenCache[id] { return (u, t) }
            let t = SpeechTokens.tokens(logMel: try store.mel(for: u), melBins: model.config.melBins,
                                        patchFrames: model.config.patchFrames, statistics: model.melStatistics)
            tokenCache[id] = t
            return (u, t)
        }
        for (group, members) in Dictionary(grouping: rollouts, by: \.group).sorted(by: { $0.key < $1.key }) {
            let groupTargets = targets.targets(members.map(\.reward))
            for (rollout, z) in zip(members, groupTargets) {
                let (prompt, tokens) = try promptTokens(rollout.prompt)
                let targetIDs = try rollout.phonemeIDs(in: store)
                let generated = rollout.decodedTokens()
                guard !generated.isEmpty else { continue }
                var tokenTargets: [Double]?
                if let shareHorizon {
                    guard let shares = rollout.tokenShares else { continue }
                    tokenTargets = LikelihoodShares.windowSums(shares, lookback: shareLookback, horizon: shareHorizon)
                }
                let example = ARDMExample(textIDs: prompt.phonemeIDs + targetIDs, speech: tokens + generated,
                                          auxiliaryTargets: Array(repeating: -1, count: (tokens.count + generated.count) / model.config.tokenWidth),
                                          promptTextCount: prompt.phonemeIDs.count, promptTokenCount: tokens.count / model.config.tokenWidth)
                guard example.textIDs.count + 2 + example.tokenCount(width: model.config.tokenWidth) <= maxPositions else { continue }
                (group % 20 == 19 ? held : train).append(example, reward: z, group: group, tokenTargets: tokenTargets)
            }
        }
        return (train, held)
    }
}

/// Rollouts as value-training trajectories, with their rewards (group-normalised or raw) and
/// groups, in group order, and per-token targets when they have them.
final class RolloutTrajectories: TrajectorySource, @unchecked Sendable {
    private(set) var examples: [ARDMExample] = []
    private(set) var rewards: [Double] = []
    private(set) var groups: [Int] = []
    private(set) var tokenTargets: [[Double]?] = []
    /// Indices of each group's trajectories, groups in order of appearance.
    private var members: [[Int]] = []

    func append(_ example: ARDMExample, reward: Double, group: Int, tokenTargets: [Double]? = nil) {
        if groups.last != group { members.append([]) }
        members[members.count - 1].append(examples.count)
        examples.append(example); rewards.append(reward); groups.append(group); self.tokenTargets.append(tokenTargets)
    }

    /// Every token's target when the trajectories have them, else the rewards.
    var targetSample: [Double] {
        tokenTargets.contains { $0 != nil } ? tokenTargets.flatMap { $0 ?? [] } : rewards
    }

    func randomTrajectory(_ rng: inout RNG, normalization: RewardNormalization) -> ValueExample {
        trajectory(rng.int(below: examples.count), normalization)
    }

    /// Random groups, all their samples in a random order, until the batch is full (a group
    /// larger than the rest of the batch gives it a random subset).
    func randomGroups(_ size: Int, _ rng: inout RNG, normalization: RewardNormalization) -> [ValueExample] {
        var batch: [ValueExample] = []
        while batch.count < size {
            var group = members[rng.int(below: members.count)]
            rng.shuffle(&group)
            batch += group.prefix(size - batch.count).map { trajectory($0, normalization) }
        }
        return batch
    }

    /// The trajectories in order (whole groups, so that validation can compare the samples of one
    /// text), from the first again when there are fewer than asked.
    func validationBatches(_ count: Int, batchSize: Int, rng: inout RNG, normalization: RewardNormalization) -> [[ValueExample]] {
        (0..<count).map { b in (0..<batchSize).map { trajectory((b * batchSize + $0) % examples.count, normalization) } }
    }

    private func trajectory(_ i: Int, _ normalization: RewardNormalization) -> ValueExample {
        ValueExample(example: examples[i], reward: normalization(rewards[i]), group: groups[i],
                     tokenTargets: tokenTargets[i]?.map { normalization($0) })
    }
}
