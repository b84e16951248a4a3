import NN

/// How often the CTC likelihood reward prefers the true phonemes of a clip to a corrupted
/// version (a word repeated or dropped), over a set of clips: the reward's sanity check.
public struct LikelihoodRanking: Codable, Sendable {
    public var trials: Int
    public var correctRankedHigher: Int
    public var fraction: Double { trials == 0 ? 0 : Double(correctRankedHigher) / Double(trials) }
    /// Mean reward exp(−NLL/phonemes) of the true and of the corrupted phonemes.
    public var meanRewardCorrect: Double
    public var meanRewardCorrupted: Double

    /// One trial per output: corruption alternates between repeating and dropping a word.
    public static func measure(outputs: [RecognizerOutput], tokenIDs: [[Int32]], labels: PhonemeLabels, seed: UInt64) -> LikelihoodRanking {
        var rng = RNG(seed: seed)
        var ranking = LikelihoodRanking(trials: 0, correctRankedHigher: 0, meanRewardCorrect: 0, meanRewardCorrupted: 0)
        for (i, (out, ids)) in zip(outputs, tokenIDs).enumerated() {
            let corruption = WordCorruption.allCases[i % WordCorruption.allCases.count]
            guard let corrupted = corruption.apply(ids, vocabulary: labels.vocabulary, isSpoken: labels.isLabel, rng: &rng) else { continue }
            let good = CTCLikelihoodReward.perPhonemeLikelihood(out, labels: labels.labels(fromTokenIDs: ids))
            let bad = CTCLikelihoodReward.perPhonemeLikelihood(out, labels: labels.labels(fromTokenIDs: corrupted))
            ranking.trials += 1
            if good.value > bad.value { ranking.correctRankedHigher += 1 }
            ranking.meanRewardCorrect += good.value
            ranking.meanRewardCorrupted += bad.value
        }
        if ranking.trials > 0 {
            ranking.meanRewardCorrect /= Double(ranking.trials)
            ranking.meanRewardCorrupted /= Double(ranking.trials)
        }
        return ranking
    }
}
