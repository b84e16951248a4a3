import Rewards

/// One clip's rewards as the API writes them: `scores` by score name and, for every reward that
/// is absent, why it was skipped. Score names are the reward names plus `ctc_nll`, the CTC
/// likelihood's −ln p(phonemes | audio) in nats, which comes with `ctc_likelihood`.
///
/// Only computed, finite numbers are written (JSON has no NaN or ∞): a non-finite one moves to
/// `skipped` with its reason.
struct ScoreReport: Encodable, Equatable {
    var scores: [String: Double] = [:]
    var skipped: [String: String] = [:]

    init(_ computed: [RewardName: RewardScore], skipped: [RewardName: String]) {
        for (name, reason) in skipped { self.skipped[name.rawValue] = reason }
        for (name, score) in computed {
            add(name.rawValue, score.value)
            if name == .ctcLikelihood, let nll = score.details["nll"] {
                if nll.isInfinite {
                    self.skipped["ctc_nll"] = "infinite: the text's phonemes do not fit in the audio's frames"
                } else {
                    add("ctc_nll", nll)
                }
            }
        }
    }

    private mutating func add(_ key: String, _ value: Double) {
        if value.isFinite { scores[key] = value } else { skipped[key] = "not a finite number (\(value))" }
    }

    /// WAV responses carry each score as a header named after it: `X-Reward-` and the score name
    /// in title case with hyphens, e.g. `ctc_likelihood` → `X-Reward-Ctc-Likelihood`.
    static func headerName(_ score: String) -> String {
        "X-Reward-" + score.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "-")
    }

    var headers: [(name: String, value: String)] {
        scores.keys.sorted().map { (Self.headerName($0), String(scores[$0]!)) }
    }
}
