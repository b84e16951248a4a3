import Foundation

/// The recogniser's test-split numbers (issue 5, must show 2): PER for seen and unseen voices,
/// and how often the likelihood reward ranks the true text above a corrupted one.
public struct CTCTestReport: Codable, Sendable {
    public var seenVoices: RecognizerEvaluation
    public var unseenVoices: RecognizerEvaluation
    public var ranking: LikelihoodRanking

    public static func measure(_ model: CTCRecognizer, corpus: TrainingCorpus, seed: UInt64) throws -> CTCTestReport {
        let labels = PhonemeLabels()
        let test = corpus.utterances(.test).filter { $0.frameCount <= model.config.maximumMelFrames }
        let outputs = model.recognize(try test.map { try corpus.logMel($0) })
        func evaluation(seen: Bool) -> RecognizerEvaluation {
            let picked = test.indices.filter { test[$0].seenVoice == seen }
            return RecognizerEvaluation(outputs: picked.map { outputs[$0] },
                                        references: picked.map { labels.labels(fromTokenIDs: test[$0].phonemeIDs) })
        }
        return CTCTestReport(seenVoices: evaluation(seen: true), unseenVoices: evaluation(seen: false),
                             ranking: LikelihoodRanking.measure(outputs: outputs, tokenIDs: test.map(\.phonemeIDs),
                                                                labels: labels, seed: seed))
    }
}
