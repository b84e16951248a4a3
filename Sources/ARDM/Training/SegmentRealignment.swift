import NN

/// Where a free-running segment left off in the corpus speech: the sampler, continuing the true
/// prefix `speech[..< start]`, may say the next phonemes faster or slower than the corpus, drop
/// one or repeat one. Dynamic time warping of the segment against the corpus tokens that follow
/// the prefix finds the corpus token its last token matches; the corpus continues after it.
///
/// Symmetric DTW over whole tokens (squared distance of the normalised log-mel values), the
/// path pinned to (segment 0, corpus `start`) and free to end on any corpus token of the window
/// `start ..< start + window`; the end with the least cost per unit of path weight (diagonal
/// steps weigh 2, so every path to (i, j) weighs i + j + 2) wins.
enum SegmentRealignment {
    /// The corpus token index after the one the segment's last token matches: where the corpus
    /// resumes. `segment (k, D)`, `speech (S, D)`; the window is clipped to the speech.
    static func resumeIndex(segment: ArraySlice<Float>, speech: [Float], start: Int, window: Int, tokenWidth D: Int) -> Int {
        let k = segment.count / D, S = speech.count / D
        let J = min(window, S - start)
        precondition(k >= 1 && J >= 1, "an empty segment or no corpus speech after the prefix")
        let base = segment.startIndex
        func cost(_ i: Int, _ j: Int) -> Float {
            var sum: Float = 0
            for d in 0..<D {
                let e = segment[base + i * D + d] - speech[(start + j) * D + d]
                sum += e * e
            }
            return sum / Float(D)
        }
        // Accumulated cost, row i over corpus offsets j; the row above is kept.
        var above = [Float](repeating: .infinity, count: J), row = above
        for i in 0..<k {
            for j in 0..<J {
                let c = cost(i, j)
                if i == 0 && j == 0 { row[j] = c; continue }
                var best = Float.infinity
                if i > 0 && j > 0 { best = above[j - 1] + 2 * c }
                if i > 0 { best = min(best, above[j] + c) }
                if j > 0 { best = min(best, row[j - 1] + c) }
                row[j] = best
            }
            swap(&above, &row)
        }
        var end = 0, endCost = Float.infinity
        for j in 0..<J {
            let perWeight = above[j] / Float(k + j + 1)
            if perWeight < endCost { end = j; endCost = perWeight }
        }
        return start + end + 1
    }
}

extension ARDMExample {
    /// The example whose LM reads the corpus speech up to `start`, then `segment` (the
    /// sampler's tokens), then the corpus from `resume` on; the corpus tokens are its targets
    /// and the segment's are not learned (`generated`), nor their phone classes.
    func realigned(segment: ArraySlice<Float>, start: Int, resume: Int, tokenWidth D: Int) -> ARDMExample {
        let k = segment.count / D
        var example = self
        example.speech = Array(speech[..<(start * D)]) + segment + speech[(resume * D)...]
        example.auxiliaryTargets = Array(auxiliaryTargets[..<start]) + [Int32](repeating: -1, count: k)
            + auxiliaryTargets[resume...]
        example.history = nil
        example.generated = start..<(start + k)
        return example
    }
}
