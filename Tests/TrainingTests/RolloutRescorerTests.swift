import ARDM
import Foundation
import NN
import Rewards
import Testing
@testable import Training

/// Rescoring a rollout set keeps every rollout but its reward, and resumes by group: a copy
/// rescored in two sittings is the copy rescored in one.
@Suite struct RolloutRescorerTests {
    @Test func rescoringKeepsTheRolloutsAndResumes() throws {
        let source = PretrainerTests.folder("rescore-source")
        let header = RolloutSet.Header(reward: .f0v, model: try ValueTrainerTests.base.get().path,
                                       corpus: try PretrainerTests.corpus.get().path, groupSize: 2)
        try RolloutGenerator(header: header, folder: source, seed: 2, batch: 4).run(groups: 3, rewards: RewardCatalog(), progress: false)
        let original = try RolloutSet.load(from: source).rollouts

        let straight = PretrainerTests.folder("rescore-straight")
        try RolloutRescorer(source: source, folder: straight, batch: 3).run(rewards: RewardCatalog(), progress: false)
        let rescored = try RolloutSet.load(from: straight)
        #expect(rescored.header.reward == .f0v && rescored.header.groupSize == 2)
        #expect(rescored.rollouts.map(\.tokens) == original.map(\.tokens))
        #expect(rescored.rollouts.map(\.group) == original.map(\.group) && rescored.rollouts.map(\.seed) == original.map(\.seed))
        #expect(rescored.rollouts.allSatisfy { $0.reward.isFinite && $0.reward >= 0 })

        // A first sitting that only saw the first group, then the whole source.
        let partialSource = PretrainerTests.folder("rescore-partial-source")
        try FileManager.default.createDirectory(at: partialSource, withIntermediateDirectories: true)
        try JSONFile.write(header, to: partialSource.appendingPathComponent(RolloutSet.headerFile))
        let log = try JSONLLog(path: partialSource.appendingPathComponent(RolloutSet.linesFile))
        for rollout in original where rollout.group == 0 { try log.append(rollout) }
        let resumed = PretrainerTests.folder("rescore-resumed")
        try RolloutRescorer(source: partialSource, folder: resumed, batch: 3).run(rewards: RewardCatalog(), progress: false)
        #expect(try RolloutSet.load(from: resumed).groupCount == 1)
        try RolloutRescorer(source: source, folder: resumed, batch: 3).run(rewards: RewardCatalog(), progress: false)
        let second = try RolloutSet.load(from: resumed).rollouts
        #expect(second.map(\.group) == rescored.rollouts.map(\.group))
        #expect(second.map(\.reward) == rescored.rollouts.map(\.reward))

        // Another set's folder is not resumed into.
        var otherHeader = header
        otherHeader.groupSize = 3
        let other = PretrainerTests.folder("rescore-other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try JSONFile.write(otherHeader, to: other.appendingPathComponent(RolloutSet.headerFile))
        #expect(throws: TrainingError.self) { try RolloutRescorer(source: source, folder: other).run(rewards: RewardCatalog(), progress: false) }
    }

    /// Token shares are shares of the CTC likelihood: a set rewarded by anything else is refused.
    @Test func tokenSharesNeedLikelihoodRollouts() throws {
        let source = PretrainerTests.folder("shares-source")
        let header = RolloutSet.Header(reward: .f0v, model: try ValueTrainerTests.base.get().path,
                                       corpus: try PretrainerTests.corpus.get().path, groupSize: 2)
        try RolloutGenerator(header: header, folder: source, seed: 3, batch: 4).run(groups: 1, rewards: RewardCatalog(), progress: false)
        #expect(throws: TrainingError.self) {
            try RolloutRescorer(source: source, folder: PretrainerTests.folder("shares-refused"), tokenShares: true)
                .run(rewards: RewardCatalog(), progress: false)
        }
    }

    /// CTC likelihood rollouts rescored with token shares: one share per generated token, none
    /// where the phonemes did not fit (reward 0), and shares that sum to at most ln p ≤ ln r
    /// (p = r^N, the entropy of the alignments making up the rest).
    @Test func likelihoodRolloutsGetSharesPerToken() throws {
        let source = PretrainerTests.folder("shares-ctc-source")
        let base = try ValueTrainerTests.base.get()
        let header = RolloutSet.Header(reward: .ctcLikelihood, model: base.path, corpus: try PretrainerTests.corpus.get().path, groupSize: 2)
        try RolloutGenerator(header: header, folder: source, seed: 4, batch: 4).run(groups: 2, rewards: RewardCatalog(), progress: false)
        let folder = PretrainerTests.folder("shares-ctc")
        try RolloutRescorer(source: source, folder: folder, batch: 3, tokenShares: true).run(rewards: RewardCatalog(), progress: false)
        let set = try RolloutSet.load(from: folder)
        let width = try ARDM.load(from: base).0.config.tokenWidth
        #expect(set.header.tokenShares == true && set.rollouts.count == 4)
        #expect(set.rollouts.contains { $0.tokenShares != nil })
        for rollout in set.rollouts {
            guard let shares = rollout.tokenShares else { #expect(rollout.reward == 0); continue }
            #expect(shares.count == rollout.decodedTokens().count / width)
            #expect(Double(shares.reduce(0, +)) <= log(rollout.reward) + 1e-3)
        }
    }
}
