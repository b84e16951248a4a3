import NN
import Rewards
import Testing

/// Greedy decoding on constructed posteriors (issue 5, must show 1) and the metrics.
@Suite struct DecodingAndMetricsTests {
    /// Logits that put 5 on the wanted class of each frame and 0 elsewhere.
    func peaked(_ frames: [Int32], V: Int) -> [Float] {
        var logits = [Float](repeating: 0, count: frames.count * V)
        for (t, c) in frames.enumerated() { logits[t * V + Int(c)] = 5 }
        return logits
    }

    @Test func greedyDecodingCollapsesRepeatsAndDropsBlanks() {
        let V = 4
        // ∅ a a ∅ a b b ∅ c → a a b c
        let frames: [Int32] = [0, 1, 1, 0, 1, 2, 2, 0, 3]
        #expect(ctcGreedyDecode(logits: peaked(frames, V: V), T: frames.count, V: V, blank: 0) == [1, 1, 2, 3])
        #expect(ctcGreedyDecode(logits: peaked([0, 0, 0], V: V), T: 3, V: V, blank: 0) == [])
        #expect(ctcCollapse([2, 2, 2], blank: 0) == [2])
    }

    @Test func editDistanceAndErrorRate() {
        #expect(editDistance([1, 2, 3], [1, 2, 3]) == 0)
        #expect(editDistance([1, 3], [1, 2, 3]) == 1)            // one deletion
        #expect(editDistance([1, 2, 4, 3], [1, 2, 3]) == 1)      // one insertion
        #expect(editDistance([Int](), [1, 2]) == 2)
        #expect(editDistance(Array("kitten"), Array("sitting")) == 3)
        var per = ErrorRate()
        per.add(hypothesis: [1, 2], reference: [1, 2, 3, 4])     // 2 edits / 4
        per.add(hypothesis: [5, 6, 7, 8, 9, 9], reference: [5, 6, 7, 8, 9, 10])  // 1 edit / 6
        #expect(per.edits == 3 && per.referenceLength == 10)
        #expect(abs(per.rate - 0.3) < 1e-12)
        #expect(characterErrorRate(hypothesis: "Hello,  world!", reference: "hello world") == 0)
        #expect(abs(characterErrorRate(hypothesis: "helo world", reference: "hello world") - 1.0 / 11) < 1e-12)
    }

    @Test func equalErrorRate() {
        // Perfectly separated scores: EER 0.
        #expect(Rewards.equalErrorRate(sameScores: [0.9, 0.8, 0.7], differentScores: [0.1, 0.2, 0.3]) == 0)
        // Identical distributions interleaved: EER near one half.
        let eer = Rewards.equalErrorRate(sameScores: [0.1, 0.3, 0.5, 0.7], differentScores: [0.2, 0.4, 0.6, 0.8])
        #expect(abs(eer - 0.5) <= 0.125)
        // One same trial below one different trial among 10 each: EER 0.1.
        let same = (0..<10).map { 0.5 + Double($0) * 0.05 }.map { $0 == 0.5 ? 0.05 : $0 }
        let different = (0..<10).map { Double($0) * 0.04 }.map { $0 == 0.36 ? 0.6 : $0 }
        #expect(abs(Rewards.equalErrorRate(sameScores: same, differentScores: different) - 0.1) < 1e-12)
    }

    @Test func groupNormalization() {
        let r = GroupNormalization.normalize([0.2, 0.4, 0.6])
        #expect(abs(r.reduce(0, +)) < 1e-12)
        #expect(abs(r[2] - 1.224744871391589) < 1e-9)   // (0.6 − 0.4) / √(0.08/3)
        #expect(GroupNormalization.normalize([0.5, 0.5]) == [0, 0])
        let mixed = GroupNormalization.normalize([1, 10, 3, 20], groups: ["a", "b", "a", "b"])
        #expect(mixed == [-1, -1, 1, 1])
    }
}
