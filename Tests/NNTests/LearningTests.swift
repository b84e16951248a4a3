import NN
import Testing

/// The core end to end: a tiny causal transformer learns a task that needs attention.
@Suite struct LearningTests {
    /// Copy task: `k` random symbols, a separator, then the same symbols again. The second half
    /// is predictable only by attending back k+1 positions; chance loss is log(8) ≈ 2.08.
    @Test func tinyTransformerLearnsToCopy() {
        let (k, symbols, sep) = (6, 8, Int32(8))
        let T = 2 * k + 1, B = 16
        let config = TransformerConfig(channels: 32, layers: 2, heads: 2, maxPositions: T)
        let model = TokenLM(vocab: symbols + 1, config: config, maxB: B, maxT: T, seed: 1)
        var rng = RNG(seed: 2)
        var optimizer = AdamW()
        let schedule = LearningRateSchedule(peak: 3e-3, floor: 3e-4, warmupSteps: 20, totalSteps: 400)
        var lastLosses: [Float] = []
        for step in 0..<400 {
            var inputs: [Int32] = [], targets: [Int32] = []
            for _ in 0..<B {
                let seq = (0..<k).map { _ in Int32(rng.int(below: symbols)) }
                let full = seq + [sep] + seq + [sep]
                inputs += full[0..<T]
                // Score only the copied half: the first half is random and cannot be learned.
                targets += (0..<T).map { t in t >= k ? full[t + 1] : ignoreTarget }
            }
            model.params.zeroGrads()
            let loss = model.forward(inputs: inputs, targets: targets, B: B, T: T)
            model.backward(inputs: inputs, targets: targets)
            clipGradientNorm(model.params, maxNorm: 1)
            optimizer.update(model.params, lr: schedule.rate(at: step))
            if step >= 380 { lastLosses.append(loss) }
        }
        let final = lastLosses.reduce(0, +) / Float(lastLosses.count)
        #expect(final < 0.2, "copy-task loss after 400 steps: \(final)")
    }
}
