import Testing
@testable import Training

/// Task B's dense targets: frame shares into tokens, tokens into windows.
@Suite struct LikelihoodSharesTests {
    /// At 31.25 recogniser frames and 15.625 tokens a second, two frames a token; frames past
    /// the last token go to it; no shares (the phonemes did not fit) give none.
    @Test func frameSharesAddUpPerToken() {
        let tokens = LikelihoodShares.perToken(frameShares: [-1, -2, -3, -4, -5, -6, -7], frameRate: 31.25,
                                               tokenRate: 15.625, tokenCount: 3)
        #expect(tokens == [-3, -7, -18])
        #expect(LikelihoodShares.perToken(frameShares: [], frameRate: 31.25, tokenRate: 15.625, tokenCount: 3) == nil)
        #expect(LikelihoodShares.perToken(frameShares: [-1], frameRate: 31.25, tokenRate: 15.625, tokenCount: 0) == nil)
    }

    @Test func windowsSumTheNextTokensCutAtTheEnd() {
        #expect(LikelihoodShares.windowSums([0, 1, 2, 3, 4], horizon: 3) == [3, 6, 9, 7, 4])
        #expect(LikelihoodShares.windowSums([5, -1], horizon: 1) == [5, -1])
        #expect(LikelihoodShares.windowSums([1, 2, 3], horizon: 10) == [6, 5, 3])
        #expect(LikelihoodShares.windowSums([0, 1, 2, 3, 4], lookback: 1, horizon: 2) == [1, 3, 6, 9, 7])
    }
}
