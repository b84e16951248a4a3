/// Equal error rate of a verification system: the error where the false-acceptance rate
/// (different-speaker trials scoring at or above a threshold) equals the false-rejection rate
/// (same-speaker trials scoring below it). Scores are similarities (higher = more alike).
///
/// Sweeps the threshold over every observed score; at the crossing the two rates are
/// averaged (they differ by at most one trial's share there).
public func equalErrorRate(sameScores: [Double], differentScores: [Double]) -> Double {
    precondition(!sameScores.isEmpty && !differentScores.isEmpty, "EER needs both same and different trials")
    // Walk thresholds from high to low: every trial at or above the threshold is accepted.
    let trials = (sameScores.map { ($0, true) } + differentScores.map { ($0, false) }).sorted { $0.0 > $1.0 }
    let (nSame, nDifferent) = (Double(sameScores.count), Double(differentScores.count))
    var acceptedSame = 0.0, acceptedDifferent = 0.0
    // Threshold above every score: nothing accepted, FRR 1, FAR 0.
    var best = (gap: 1.0, eer: 0.5)
    var i = 0
    while i < trials.count {
        let threshold = trials[i].0
        while i < trials.count && trials[i].0 == threshold {
            if trials[i].1 { acceptedSame += 1 } else { acceptedDifferent += 1 }
            i += 1
        }
        let falseRejection = 1 - acceptedSame / nSame, falseAcceptance = acceptedDifferent / nDifferent
        let gap = abs(falseRejection - falseAcceptance)
        if gap < best.gap { best = (gap, (falseRejection + falseAcceptance) / 2) }
    }
    return best.eer
}
