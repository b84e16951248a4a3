import Foundation

/// The recogniser's quality on a set of utterances: phoneme error rate of greedy decoding
/// (edits / reference phonemes, pooled) and the mean per-phoneme NLL of the true phonemes.
public struct RecognizerEvaluation: Codable, Sendable {
    public var utterances: Int
    public var phonemeErrorRate: Double
    public var meanPerPhonemeNLL: Double

    /// From recogniser outputs and the spoken-phoneme labels they should give.
    public init(outputs: [RecognizerOutput], references: [[Int32]]) {
        precondition(outputs.count == references.count, "one reference per output")
        var per = ErrorRate()
        var nll = 0.0, counted = 0
        for (out, reference) in zip(outputs, references) {
            per.add(hypothesis: out.greedyLabels(), reference: reference)
            let n = out.negativeLogLikelihood(labels: reference)
            if n.isFinite && !reference.isEmpty { nll += n / Double(reference.count); counted += 1 }
        }
        utterances = outputs.count
        phonemeErrorRate = per.rate
        meanPerPhonemeNLL = counted > 0 ? nll / Double(counted) : .infinity
    }

    public static func measure(_ model: CTCRecognizer, corpus: TrainingCorpus, utterances: [TrainingUtterance],
                               labels: PhonemeLabels) throws -> RecognizerEvaluation {
        RecognizerEvaluation(outputs: model.recognize(try utterances.map { try corpus.logMel($0) }),
                             references: utterances.map { labels.labels(fromTokenIDs: $0.phonemeIDs) })
    }
}
