import ArgumentParser
import Foundation
import Rewards
import Training

/// `vgpo-train rollouts`: samples of the base model with their rewards, for value training on
/// Task B (issue 6). Resumes: groups already in the folder are kept. With `--rescore FROM` it
/// samples nothing: it writes FROM's rollouts with their rewards computed again.
struct RolloutsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollouts",
        abstract: "Sample groups of rollouts of a model for random corpus prompt/target pairs and reward them.",
        discussion: """
            Example: vgpo-train rollouts --model models/base --reward ctc_likelihood --groups 400 --out runs/rollouts-ctc
                     vgpo-train rollouts --rescore runs/rollouts-f0v --out runs/rollouts-f0v-rescored
                     vgpo-train rollouts --rescore runs/rollouts-ctc --token-shares --out runs/rollouts-ctc-shares
                     vgpo-train rollouts --model models/base --reward ctc_likelihood --hard-texts --groups 1000 --out runs/rollouts-ctc-hard
            """)

    @Option(help: "Model folder.") var model = "models/base"
    @Option(help: "Reward: f0v, ctc_likelihood, per or sim.") var reward: String?
    @Option(help: "Complete groups wanted in the folder.") var groups: Int?
    @Option(help: "A rollout folder whose rollouts get their rewards (its own reward, model and corpus) computed again into --out, from their stored tokens.")
    var rescore: String?
    @Flag(help: "With --rescore of CTC likelihood rollouts: also store each rollout's per-token shares of the likelihood (for a value trained with share_horizon).")
    var tokenShares = false
    @Flag(help: "Targets are hard texts (Task B's kind: train sentences joined, words and clauses repeated), up to 30 s each, instead of train utterances.")
    var hardTexts = false
    @Option(help: "Rollouts per prompt/target pair.") var groupSize = 4
    @Option(help: "Sequences sampled at once.") var batch = 8
    @Option(help: "Seed of the pairs and the sampling.") var seed: UInt64 = 1
    @Option(help: "Corpus folder.") var corpus = "data/corpus"
    @Option(help: "CTC recogniser folder.") var ctc = "models/ctc"
    @Option(help: "Speaker encoder folder.") var speaker = "models/speaker"
    @Option(help: "Output folder (rollouts.json + rollouts.jsonl).") var out: String

    func run() throws {
        let rewards = RewardCatalog(ctcModel: URL(fileURLWithPath: ctc), speakerModel: URL(fileURLWithPath: speaker))
        if let rescore {
            guard reward == nil, groups == nil else { throw ValidationError("--rescore keeps the source's reward and groups: drop --reward and --groups") }
            guard URL(fileURLWithPath: rescore).standardized != URL(fileURLWithPath: out).standardized else {
                throw ValidationError("--out must differ from --rescore: the source is kept as it is")
            }
            return try RolloutRescorer(source: URL(fileURLWithPath: rescore), folder: URL(fileURLWithPath: out),
                                       tokenShares: tokenShares).run(rewards: rewards)
        }
        guard !tokenShares else { throw ValidationError("--token-shares goes with --rescore") }
        guard let reward, let groups else { throw ValidationError("need --reward and --groups (or --rescore)") }
        guard let name = RewardName(rawValue: reward) else { throw ValidationError("unknown reward \(reward)") }
        guard groups > 0, groupSize > 1 else { throw ValidationError("need --groups > 0 and --group-size > 1 (rewards are normalised per group)") }
        let generator = RolloutGenerator(header: .init(reward: name, model: model, corpus: corpus, groupSize: groupSize,
                                                                hardTexts: hardTexts ? true : nil),
                                         folder: URL(fileURLWithPath: out), seed: seed, batch: batch)
        try generator.run(groups: groups, rewards: rewards)
    }
}
