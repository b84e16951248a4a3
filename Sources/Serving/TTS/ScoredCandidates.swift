import Guidance
import Rewards

/// The clips of one synthesis scored by every reward the server can compute (the target text
/// for the CTC rewards, the prompt audio for SIM), and which clip is returned: the best by the
/// best-of-K objective, or the only one. Clips come as the samples the client will decode; they
/// and the prompt are scored as `/v1/score` would score them, made like the corpus's audio first
/// (`RewardInput.likeCorpus`), so a clip's headers and a later upload of it agree.
struct ScoredCandidates {
    /// One report per clip, in seed order.
    let reports: [ScoreReport]
    let chosen: Int
    /// The K of best-of-K, nil for a single sample.
    let bestOf: Int?

    /// Throws 422 `reward_failed` when a reward of the objective cannot score the candidates
    /// (e.g. text with no spoken phonemes): a ranking without it would be a guess.
    init(_ clips: [[Float]], text: String, promptAudio: [Float], rewards: RewardSet, bestOf: BestOfK?) throws {
        let inputs = RewardInput.likeCorpus(clips: clips, text: text, promptAudio: promptAudio)
        let scored = rewards.score(inputs)
        reports = scored.scores.map { ScoreReport($0, skipped: scored.skipped) }
        self.bestOf = bestOf?.k
        guard let bestOf else {
            chosen = 0
            return
        }
        for name in bestOf.objective.rewards {
            if let reason = scored.skipped[name] {
                throw APIError.unprocessable("best_of.reward: cannot rank the candidates by \(name.rawValue): \(reason)",
                                             code: "reward_failed")
            }
        }
        chosen = bestOf.best(scored.scores, directions: rewards.directions)
    }
}
