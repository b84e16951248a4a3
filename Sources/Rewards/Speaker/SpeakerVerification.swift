/// Same/different-voice verification over a set of clips (issue 5, must show 3): every pair of
/// clips is a trial, scored by the cosine of the embeddings.
public struct SpeakerVerification: Codable, Sendable {
    public var clips: Int
    public var voices: Int
    public var sameTrials: Int
    public var differentTrials: Int
    public var equalErrorRate: Double
    public var meanSameSimilarity: Double
    public var meanDifferentSimilarity: Double
    /// Mean same-voice SIM minus mean different-voice SIM.
    public var similarityGap: Double { meanSameSimilarity - meanDifferentSimilarity }

    enum CodingKeys: String, CodingKey {
        case clips, voices, sameTrials, differentTrials, equalErrorRate, meanSameSimilarity, meanDifferentSimilarity
    }

    public static func measure(embeddings: [[Float]], voices: [String]) -> SpeakerVerification {
        precondition(embeddings.count == voices.count, "one voice per embedding")
        var same: [Double] = [], different: [Double] = []
        for i in embeddings.indices {
            for j in (i + 1)..<embeddings.count {
                let s = cosineSimilarity(embeddings[i], embeddings[j])
                if voices[i] == voices[j] { same.append(s) } else { different.append(s) }
            }
        }
        let mean: ([Double]) -> Double = { $0.isEmpty ? 0 : $0.reduce(0, +) / Double($0.count) }
        return SpeakerVerification(
            clips: embeddings.count, voices: Set(voices).count, sameTrials: same.count, differentTrials: different.count,
            equalErrorRate: same.isEmpty || different.isEmpty ? 1 : Rewards.equalErrorRate(sameScores: same, differentScores: different),
            meanSameSimilarity: mean(same), meanDifferentSimilarity: mean(different))
    }
}
