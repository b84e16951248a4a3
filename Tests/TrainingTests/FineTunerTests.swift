import ARDM
import Foundation
import NN
import Rewards
import Testing
@testable import Training

/// VGPO (with online value update and ADM) and DPO on the tiny corpus from the tiny base:
/// an interrupted and resumed run gives exactly the losses and weights of an uninterrupted one.
/// Evaluation uses the shipped CTC recogniser and speaker encoder.
@Suite(.serialized) struct FineTunerTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let value: Result<URL, Error> = Result {
        let trainer = try ValueTrainer(config: ValueTrainerTests.config(run: PretrainerTests.folder("finetune-value"),
                                                                        trajectories: "corpus", objective: .softExp))
        try trainer.run(stopAfter: 2, progress: false)
        return trainer.modelDirectory
    }

    /// The recipe as a file, as users write it (snake_case keys), read by `FineTuneConfig.load`.
    static func config(run: URL, vgpo: Bool) throws -> FineTuneConfig {
        var recipe: [String: Any] = [
            "corpus": try PretrainerTests.corpus.get().path, "base": try ValueTrainerTests.base.get().path, "run": run.path,
            "seed": 4, "reward": "f0v", "iterations": 4, "prompts_per_iteration": 2, "rollouts_per_prompt": 2,
            "points_per_sequence": 2, "learning_rate": 1e-3, "warmup_iterations": 1, "grad_clip": 1, "max_positions": 300,
            "cfg": 2, "checkpoint_every": 2,
            "evaluation": ["task": "A", "items": 1, "every": 2, "seed": 9,
                           "ctc": packageRoot.appendingPathComponent("models/ctc").path,
                           "speaker": packageRoot.appendingPathComponent("models/speaker").path],
        ]
        if vgpo {
            recipe["vgpo"] = ["value": try value.get().path, "kl_weight": 0.25, "stop_weight": 1, "group_normalization": false,
                              "online_value": ["steps": 1, "learning_rate": 1e-3, "objective": "soft_exp"],
                              "adversarial": ["weight": 0.5, "steps": 1, "learning_rate": 1e-3, "base_pool": 2, "base_seconds": 1]]
        } else {
            recipe["dpo"] = ["beta": 50]
        }
        let file = run.deletingLastPathComponent().appendingPathComponent(run.lastPathComponent + ".json")
        try JSONSerialization.data(withJSONObject: recipe).write(to: file)
        return try FineTuneConfig.load(file.path)
    }

    /// Runs 4 iterations straight and 2 + 2 with a resume in between; returns the straight log.
    static func expectExactResume(_ method: FineTuner.Method, name: String) throws -> [[String: Double]] {
        let vgpo = method == .vgpo
        let straightRun = PretrainerTests.folder(name + "-straight")
        let straight = try FineTuner(config: config(run: straightRun, vgpo: vgpo), method: method)
        let all = try straight.run(progress: false)
        let run = PretrainerTests.folder(name + "-resumed")
        let first = try FineTuner(config: config(run: run, vgpo: vgpo), method: method).run(stopAfter: 2, progress: false)
        let resumed = try FineTuner(config: config(run: run, vgpo: vgpo), method: method)
        #expect(resumed.state.iteration == 2)
        let rest = try resumed.run(progress: false)
        let keys = vgpo ? ["kl", "guidance", "stop_kl", "value_loss", "discriminator_loss", "reward"] : ["dpo_loss", "reward"]
        for key in keys { #expect((first + rest).map { $0[key] } == all.map { $0[key] }, "\(key) after resume") }
        let (a, _) = try ARDM.load(from: straight.modelDirectory), (b, _) = try ARDM.load(from: resumed.modelDirectory)
        #expect(a.params.values.toArray() == b.params.values.toArray())
        // Evaluated at 0, 2 (the stop point) and 4, once each, with the straight run's numbers.
        let log = try String(contentsOf: run.appendingPathComponent("log.jsonl"), encoding: .utf8)
        #expect(log.components(separatedBy: "\"eval\":1").count - 1 == 3)
        let evaluations = try JSONLLog.evaluations(in: run.appendingPathComponent("log.jsonl"))
        let straightEvaluations = try JSONLLog.evaluations(in: straightRun.appendingPathComponent("log.jsonl"))
        #expect(evaluations.keys.sorted() == [0, 2, 4] && straightEvaluations.keys.sorted() == [0, 2, 4])
        for (iteration, metrics) in straightEvaluations {
            #expect(metrics["KL"] != nil && evaluations[iteration]?["KL"] == metrics["KL"], "KL at \(iteration)")
        }
        return all
    }

    @Test func vgpoResumesExactly() throws {
        let entries = try Self.expectExactResume(.vgpo, name: "vgpo")
        // The first update starts at the reference: the KL proxy is zero before any step.
        #expect(entries[0]["kl"]! < 1e-8 && entries[1]["kl"]! > 0)
        // The online value and the discriminator are saved next to the policy.
        let run = FileManager.default.temporaryDirectory.appendingPathComponent("pretrain-tests-\(getpid())-vgpo-resumed")
        for name in ["value", "discriminator"] {
            let (model, _) = try ARDM.load(from: run.appendingPathComponent(name))
            #expect(model.config.isValueModel)
        }
    }

    @Test func dpoResumesExactly() throws {
        let entries = try Self.expectExactResume(.dpo, name: "dpo")
        // Pairs with distinct rewards give a loss of log 2 at the reference.
        let first = try #require(entries.first)
        #expect(first["pairs"]! > 0)
        #expect(abs(first["dpo_loss"]! - log(2)) < 1e-4)
    }

    /// A value trained on likelihood shares (`share_horizon`) keeps learning them online: each
    /// point's target is the window sum of the rollout's token shares, normalised as the value
    /// was (reward_mean −2, reward_std 4), not the rollout's reward; the same value recorded
    /// without a horizon learns the rewards. Both run an iteration with the online update.
    @Test func onlineValueLearnsLikelihoodSharesWhenTheValueDoes() throws {
        let (base, _) = try ARDM.load(from: ValueTrainerTests.base.get())
        let value = base.makeValueModel()
        let speech = [Float](repeating: 0, count: 4 * base.config.tokenWidth)
        let example = ARDMExample(textIDs: [5, 6], speech: speech, auxiliaryTargets: [0, 0, 0, 0], promptTokenCount: 1)
        var group = RolloutGroup(examples: [example, example], rewards: [-1, -3], stopped: [true, true])
        group.tokenShares = [[0, 1, 2], [3, 4, 5]]
        var losses: [Double] = []
        for horizon in ["2", nil] {
            let folder = PretrainerTests.folder("share-value-\(horizon ?? "none")")
            var provenance = ["kind": "value", "reward": "ctc_likelihood", "objective": "mse", "reward_mean": "-2", "reward_std": "4"]
            provenance["share_horizon"] = horizon
            try value.save(to: folder, dtype: .f32, provenance: provenance)
            var config = try Self.config(run: PretrainerTests.folder("share-vgpo-\(horizon ?? "none")"), vgpo: true)
            config.reward = .ctcLikelihood
            config.vgpo!.value = folder.path
            config.vgpo!.onlineValue!.objective = .mse
            config.vgpo!.adversarial = nil
            let tuner = try FineTuner(config: config, method: .vgpo)
            let targets = try #require(tuner.method as? VGPOMethod).onlineValueExamples(group)
            if horizon == nil {
                #expect(targets.map(\.reward) == [0.25, -0.25] && targets.allSatisfy { $0.tokenTargets == nil })
            } else {
                // Window sums over tokens n, n+1: [1, 3, 2] and [7, 9, 5], then (s + 2) / 4.
                #expect(targets.map(\.tokenTargets) == [[0.75, 1.25, 1], [2.25, 2.75, 1.75]])
            }
            let entries = try tuner.run(stopAfter: 1, progress: false, evaluations: false)
            losses.append(try #require(entries.first?["value_loss"]))
        }
        #expect(losses.allSatisfy { $0.isFinite && $0 > 0 })
    }

    /// The KL proxy sizes a workspace of its own by the longest sample, so samples of any length
    /// (evaluation's run longer than a training step's) need no training workspace: zero against
    /// the reference itself, positive once the policy's weights move.
    @Test func klProxyTakesSamplesOfAnyLength() throws {
        let (reference, _) = try ARDM.load(from: try ValueTrainerTests.base.get())
        let (policy, _) = try ARDM.load(from: try ValueTrainerTests.base.get())
        let D = policy.config.tokenWidth
        var rng = RNG(seed: 3)
        let samples = [3, 60, 9].map { tokens in
            ARDMExample(textIDs: [5, 6, 7, 8], speech: (0..<(tokens * D)).map { _ in rng.normal() },
                        auxiliaryTargets: [Int32](repeating: 0, count: tokens), promptTokenCount: 1)
        }
        func kl() -> Double {
            var points = RNG(seed: 1)
            return klProxy(policy: policy, reference: reference, samples: samples, cfg: 2, pointsPerSequence: 3, rng: &points)
        }
        #expect(kl() == 0)
        var noise = RNG(seed: 4)
        for i in 0..<policy.params.values.count { policy.params.values.base[i] += 0.01 * noise.normal() }
        #expect(kl() > 0 && kl().isFinite)
    }
}
