import Testing
@testable import ARDM

/// The guided-attention prior sits on the rows that predict each speech token (SEP's row for
/// the first), so the state that makes the first target token is pulled toward the target
/// text's start, not the prompt text's end.
struct AlignmentPriorTests {
    /// [BOS] p0 p1 t0 t1 [SEP] s0 s1 s2 s3: two prompt phonemes and two prompt tokens, two target
    /// phonemes and two target tokens; rows 5…8 predict s0…s3, row 9 predicts the stop.
    static let sequence = AlignmentPrior.Sequence(promptText: 2, targetText: 2, promptTokens: 2, targetTokens: 2,
                                                  speechStart: 6, dropped: false)
    static let T = 10

    /// One-hot attention: `rows[r]` is the key row r attends.
    static func attention(_ keys: [Int: Int]) -> [Float] {
        var att = [Float](repeating: 0, count: T * T)
        for (row, key) in keys { att[row * T + key] = 1 }
        return att
    }

    @Test func thePriorCostsNothingOnTheDiagonalOfThePredictingRows() {
        let prior = AlignmentPrior(sequences: [Self.sequence], width: 0.2, T: Self.T, heads: 1)
        // Token n's own phoneme: prompt tokens 0, 1 → p0, p1 (keys 1, 2); target 0, 1 → t0, t1 (3, 4).
        // Row 9 (after the last token) is no token's and may attend anything.
        let aligned = Self.attention([5: 1, 6: 2, 7: 3, 8: 4, 9: 0])
        #expect(aligned.withUnsafeBufferPointer { prior.loss(probabilities: $0.baseAddress!) } == 0)
        // The same diagonal a row later (the rows that read each token) is off by one token:
        // the state that makes the first target token looks at the prompt text.
        let late = Self.attention([5: 0, 6: 1, 7: 2, 8: 3, 9: 4])
        let lateLoss = late.withUnsafeBufferPointer { prior.loss(probabilities: $0.baseAddress!) }
        #expect(lateLoss > 0.4)
    }

    @Test func theGradientHookAddsTheCostsOnTheSameRows() {
        let prior = AlignmentPrior(sequences: [Self.sequence], width: 0.2, T: Self.T, heads: 1)
        var dp = [Float](repeating: 0, count: Self.T * Self.T)
        dp.withUnsafeMutableBufferPointer { prior.gradient(scale: 4)(0, 0, UnsafePointer($0.baseAddress!), $0.baseAddress!) }
        // scale / queries = 1: row 5 (SEP, predicting prompt token 0) gets W of token 0 against
        // every key; row 9 gets nothing.
        for j in 0..<6 { #expect(abs(dp[5 * Self.T + j] - prior.cost(Self.sequence, n: 0, j: j)) < 1e-6) }
        #expect(dp[5 * Self.T + 1] < 0.5 && dp[5 * Self.T + 3] == 1)
        #expect((0..<Self.T).allSatisfy { dp[9 * Self.T + $0] == 0 })
    }
}
