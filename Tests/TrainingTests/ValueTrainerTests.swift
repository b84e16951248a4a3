import ARDM
import Foundation
import NN
import Rewards
import Testing
@testable import Training

/// Value training (Algorithm 1) on the tiny corpus, from a tiny base model pre-trained for a
/// few steps: resume is exact for both trajectory sources, and rollouts resume by group.
@Suite(.serialized) struct ValueTrainerTests {
    static let base: Result<URL, Error> = Result {
        let run = PretrainerTests.folder("value-base")
        try Pretrainer(config: PretrainerTests.config(run: run)).run(stopAfter: 3, progress: false)
        return run.appendingPathComponent("checkpoint")
    }

    static func config(run: URL, trajectories: String, objective: ValueObjective) throws -> ValueTrainConfig {
        ValueTrainConfig(corpus: try PretrainerTests.corpus.get().path, base: try base.get().path, run: run.path, seed: 3,
                         reward: .f0v, objective: objective, trajectories: trajectories, batchSize: 2, maxPositions: 512,
                         pointsPerSequence: 4, steps: 6, warmupSteps: 2, learningRate: 1e-3, minLearningRate: 1e-4,
                         gradClip: 1, checkpointEvery: 3, validateEvery: 3, validationBatches: 1)
    }

    static func expectExactResume(trajectories: String, objective: ValueObjective, name: String) throws {
        let straightConfig = try config(run: PretrainerTests.folder(name + "-straight"), trajectories: trajectories,
                                        objective: objective)
        let straight = try ValueTrainer(config: straightConfig)
        let all = try straight.run(progress: false)
        let run = PretrainerTests.folder(name + "-resumed")
        let first = try ValueTrainer(config: config(run: run, trajectories: trajectories, objective: objective))
            .run(stopAfter: 3, progress: false)
        let resumed = try ValueTrainer(config: config(run: run, trajectories: trajectories, objective: objective))
        #expect(resumed.state.step == 3)
        let atStepThree = resumed.model.params.values.toArray()
        let rest = try resumed.run(progress: false)
        #expect((first + rest).map(\.loss) == all.map(\.loss))
        #expect(resumed.model.params.values.toArray() == straight.model.params.values.toArray())
        // An earlier checkpoint still kept loads on request (what `value --evaluate --checkpoint` reads).
        let earlier = try ValueTrainer(config: straightConfig, checkpoint: 3)
        #expect(earlier.state.step == 3 && earlier.model.params.values.toArray() == atStepThree)
        // The saved value model loads and says what it predicts.
        let (value, file) = try ARDM.load(from: resumed.modelDirectory)
        #expect(value.config.isValueModel && file.provenance["reward"] == "f0v" && file.provenance["objective"] == objective.rawValue)
        #expect(file.provenance["group_normalization"] == (trajectories == "corpus" ? nil : "true"))
        // best/ holds the model that ranks the samples of a group best, or without groups the
        // one at the lowest validation loss, that the log shows across the resume.
        let logged = try String(contentsOf: run.appendingPathComponent("log.jsonl"), encoding: .utf8).split(separator: "\n")
            .compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .filter { $0["validation_loss"] != nil }
        let best = try JSONFile.read(ARDMFileConfig.self, from: resumed.bestModelDirectory.appendingPathComponent(ARDM.configFile))
        #expect(logged.count == 2)
        let within = logged.compactMap { ($0["validation_within_group_correlation"] as? NSNumber)?.floatValue }
        if within.isEmpty {
            let losses = logged.compactMap { ($0["validation_loss"] as? NSNumber)?.floatValue }
            #expect(best.provenance["validation_loss"].flatMap(Float.init) == losses.min())
        } else {
            #expect(best.provenance["validation_within_group_correlation"].flatMap(Float.init) == within.max())
        }
    }

    @Test func corpusTrajectoriesResumeExactly() throws {
        try Self.expectExactResume(trajectories: "corpus", objective: .mse, name: "value-corpus")
    }

    /// Rollouts of the tiny base (F0V needs no reward model), written in two sittings, train
    /// a soft value; the second sitting adds only the missing groups.
    @Test func rolloutTrajectoriesResumeExactly() throws {
        let folder = PretrainerTests.folder("rollouts")
        let header = RolloutSet.Header(reward: .f0v, model: try Self.base.get().path, corpus: try PretrainerTests.corpus.get().path,
                                       groupSize: 2)
        let generator = RolloutGenerator(header: header, folder: folder, seed: 1, batch: 4)
        try generator.run(groups: 2, rewards: RewardCatalog(), progress: false)
        let firstSitting = try RolloutSet.load(from: folder).rollouts
        try generator.run(groups: 21, rewards: RewardCatalog(), progress: false)
        let set = try RolloutSet.load(from: folder)
        #expect(set.groupCount == 21 && set.rollouts.count == 42)
        #expect(Array(set.rollouts.prefix(4)).map(\.tokens) == firstSitting.map(\.tokens))
        try Self.expectExactResume(trajectories: folder.path, objective: .softExp, name: "value-rollouts")

        // Group-normalised targets have mean 0 over the training groups; without group
        // normalisation the targets are the raw rewards, so their normalisation is the raw mean.
        let trained = set.rollouts.filter { $0.group % 20 != 19 && !$0.decodedTokens().isEmpty }.map(\.reward)
        let grouped = try ValueTrainer(config: Self.config(run: PretrainerTests.folder("value-rollouts-grouped"),
                                                           trajectories: folder.path, objective: .mse))
        var rawConfig = try Self.config(run: PretrainerTests.folder("value-rollouts-raw"), trajectories: folder.path, objective: .mse)
        rawConfig.groupNormalization = false
        let raw = try ValueTrainer(config: rawConfig)
        #expect(raw.trajectoryCount == trained.count && grouped.trajectoryCount == trained.count)
        #expect(abs(grouped.normalization.mean) < 1e-9)
        let rawMean = trained.reduce(0, +) / Double(trained.count)
        #expect(abs(raw.normalization.mean - rawMean) < 1e-12 * abs(rawMean), "the raw rewards, summed in another order")
        #expect(abs(raw.normalization.mean) > 1e-3, "F0V rewards of the tiny base are far from 0")
        // A leave-one-out baseline: each target is the reward less the other one of its pair.
        var looConfig = rawConfig
        looConfig.run = PretrainerTests.folder("value-rollouts-loo").path
        looConfig.leaveOneOutBaseline = true
        let loo = try ValueTrainer(config: looConfig)
        let targets = try #require(loo.train as? RolloutTrajectories)
        let group = try #require(targets.groups.first { g in targets.groups.filter { $0 == g }.count == 2 })
        let pair = set.rollouts.filter { $0.group == group }.map(\.reward)
        let looked = zip(targets.groups, targets.rewards).filter { $0.0 == group }.map(\.1)
        #expect(looked.count == 2 && zip(looked, [pair[0] - pair[1], pair[1] - pair[0]]).allSatisfy { abs($0 - $1) < 1e-9 })
        #expect(abs(loo.normalization.mean) < 0.5 * loo.normalization.std, "pairs' differences centre on 0")
        var groupedLOO = looConfig
        groupedLOO.groupNormalization = true
        #expect(throws: TrainingError.self) { try ValueTrainer(config: groupedLOO) }
        // Validation reads the held-out group (the 20th) whole, both samples, in order.
        let validated = grouped.validation.joined().prefix(2)
        #expect(validated.map(\.group) == [19, 19] && validated.first!.example.speech != validated.last!.example.speech)

        // group_batches: batches of whole groups (here two groups of two), and it trains; corpus
        // trajectories have no groups and the recipe is refused.
        var byGroupConfig = try Self.config(run: PretrainerTests.folder("value-rollouts-by-group"), trajectories: folder.path, objective: .mse)
        byGroupConfig.groupBatches = true
        let byGroup = try ValueTrainer(config: byGroupConfig)
        var rng = RNG(seed: 4)
        let batch = byGroup.train.randomGroups(4, &rng, normalization: byGroup.normalization)
        #expect(batch[0].group == batch[1].group && batch[2].group == batch[3].group && batch[0].group != nil)
        #expect(batch[0].example.speech != batch[1].example.speech && abs(batch[0].reward + batch[1].reward) < 1e-5)
        #expect(try byGroup.run(stopAfter: 2, progress: false).count == 2)
        var corpusConfig = try Self.config(run: PretrainerTests.folder("value-corpus-by-group"), trajectories: "corpus", objective: .mse)
        corpusConfig.groupBatches = true
        #expect(throws: TrainingError.self) { try ValueTrainer(config: corpusConfig) }
    }

    /// share_horizon: with token shares 0, 1, 2, … and a horizon of 1, the target at a point of
    /// generated token n is n itself (after the normalisation); a horizon of 3 sums n, n+1, n+2,
    /// cut at the end. Rollouts without shares are refused.
    @Test func tokenSharesBecomeEachPointsTarget() throws {
        let plain = PretrainerTests.folder("rollouts-for-shares")
        let header = RolloutSet.Header(reward: .f0v, model: try Self.base.get().path, corpus: try PretrainerTests.corpus.get().path,
                                       groupSize: 2)
        try RolloutGenerator(header: header, folder: plain, seed: 5, batch: 4).run(groups: 3, rewards: RewardCatalog(), progress: false)
        var config = try Self.config(run: PretrainerTests.folder("value-shares-refused"), trajectories: plain.path, objective: .mse)
        config.shareHorizon = 1
        #expect(throws: TrainingError.self) { try ValueTrainer(config: config) }

        let shared = PretrainerTests.folder("rollouts-with-shares")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        var sharedHeader = header
        sharedHeader.tokenShares = true
        try JSONFile.write(sharedHeader, to: shared.appendingPathComponent(RolloutSet.headerFile))
        let lines = try JSONLLog(path: shared.appendingPathComponent(RolloutSet.linesFile))
        let width = try ARDM.load(from: Self.base.get()).0.config.tokenWidth
        for var rollout in try RolloutSet.load(from: plain).rollouts {
            rollout.tokenShares = (0..<(rollout.decodedTokens().count / width)).map(Float.init)
            try lines.append(rollout)
        }
        config.trajectories = shared.path
        // Each point's raw target against `expected(n, generated)`, for random points of 4 rollouts.
        func checkTargets(horizon: Int, _ expected: (Int, Int) -> Double) throws -> ValueTrainer {
            config.shareHorizon = horizon
            config.run = PretrainerTests.folder("value-shares-h\(horizon)").path
            let trainer = try ValueTrainer(config: config)
            #expect(trainer.provenance["share_horizon"] == "\(horizon)")
            let source = try #require(trainer.train as? RolloutTrajectories)
            var rng = RNG(seed: 6)
            for _ in 0..<4 {
                let example = source.randomTrajectory(&rng, normalization: trainer.normalization)
                let generated = example.example.tokenCount(width: width) - example.example.promptTokenCount
                let result = trainer.model.valueValidation([example], trainer.workspace, objective: .mse, rng: &rng)
                #expect(!result.targets.isEmpty)
                for (z, progress) in zip(result.targets, result.progress) {
                    let n = Double(progress) * Double(generated)
                    let raw = Double(z) * trainer.normalization.std + trainer.normalization.mean
                    #expect(abs(n - n.rounded()) < 1e-3)
                    #expect(abs(raw - expected(Int(n.rounded()), generated)) < 1e-3)
                }
            }
            return trainer
        }
        let trainer = try checkTargets(horizon: 1) { n, _ in Double(n) }
        _ = try checkTargets(horizon: 3) { n, generated in Double((n..<min(n + 3, generated)).reduce(0, +)) }
        #expect(try trainer.run(stopAfter: 2, progress: false).count == 2)
    }
}

