import Foundation
import NN

/// The guided-attention prior of DC-TTS on the alignment heads: the row that predicts speech
/// token n of a segment (prompt or target), the row before the token's own (`StepLayout`: SEP
/// predicts token 0), attending text position t of that segment's text costs
/// `W = 1 − exp(−(x − y)²/2g²)` with x = (n + ½)/N, y = (t + ½)/T the relative positions;
/// attending anything else (the other segment's text, BOS, SEP) costs 1. So the state that makes
/// the first target token looks at the start of the target text, not the end of the prompt's.
/// The loss is the mean over speech tokens of Σ_t W·A[row, t], averaged over the alignment layers.
struct AlignmentPrior: Sendable {
    struct Sequence: Sendable {
        /// Position of the first text phoneme (after BOS), prompt and target text counts.
        let promptText: Int, targetText: Int
        let promptTokens: Int, targetTokens: Int
        /// Row of the first speech token (the text length L_b including BOS and SEP); the row
        /// before it predicts that token.
        let speechStart: Int
        /// Text dropped for LM guidance: no prior.
        let dropped: Bool
    }

    let sequences: [Sequence]
    let width: Float
    let T: Int
    let heads: Int
    /// Speech queries covered, for the mean.
    let queries: Int

    init(sequences: [Sequence], width: Float, T: Int, heads: Int) {
        self.sequences = sequences; self.width = width; self.T = T; self.heads = heads
        queries = sequences.filter { !$0.dropped }.reduce(0) { $0 + $1.promptTokens + $1.targetTokens }
    }

    /// W for speech token n (0-based over prompt then target) and text row j of sequence s.
    @inline(__always)
    func cost(_ s: Sequence, n: Int, j: Int) -> Float {
        let inPrompt = n < s.promptTokens
        let (first, count, index, tokens) = inPrompt
            ? (1, s.promptText, n, s.promptTokens)
            : (1 + s.promptText, s.targetText, n - s.promptTokens, s.targetTokens)
        guard count > 0, j >= first, j < first + count else { return 1 }
        let x = (Float(index) + 0.5) / Float(tokens), y = (Float(j - first) + 0.5) / Float(count)
        return 1 - expf(-(x - y) * (x - y) / (2 * width * width))
    }

    /// Σ W·A over the alignment head (head 0) of one layer's probabilities (B, NH, T, T).
    func loss(probabilities att: UnsafePointer<Float>) -> Float {
        guard queries > 0 else { return 0 }
        var total: Float = 0
        for (b, s) in sequences.enumerated() where !s.dropped {
            let p = att + b * heads * T * T   // head 0
            for n in 0..<(s.promptTokens + s.targetTokens) {
                let row = p + (s.speechStart - 1 + n) * T
                for j in 0..<s.speechStart { total += cost(s, n: n, j: j) * row[j] }
            }
        }
        return total / Float(queries)
    }

    /// The gradient hook for attentionBackward: dA[n, t] += scale·W/queries on head 0.
    func gradient(scale: Float) -> AttentionProbabilityGradient {
        let prior = self
        return { b, h, _, dp in
            let s = prior.sequences[b]
            guard h == 0, !s.dropped, prior.queries > 0 else { return }
            let k = scale / Float(prior.queries)
            for n in 0..<(s.promptTokens + s.targetTokens) {
                let row = dp + (s.speechStart - 1 + n) * prior.T
                for j in 0..<s.speechStart { row[j] += k * prior.cost(s, n: n, j: j) }
            }
        }
    }
}
