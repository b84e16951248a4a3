import Foundation
import GradientChecking
import NN
import Rewards
import Testing

/// CTC loss (issue 5, must show 1): known likelihoods, brute force over all paths, gradients.
@Suite struct CTCLossTests {
    /// Softmax of one row, for hand computations.
    func softmax(_ row: [Float]) -> [Double] {
        let m = row.max()!
        let e = row.map { exp(Double($0 - m)) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    /// One label over two frames: the paths (a a), (∅ a), (a ∅) collapse to (a), so
    /// p = y₀(a)y₁(a) + y₀(∅)y₁(a) + y₀(a)y₁(∅).
    @Test func oneLabelTwoFramesByHand() {
        let logits: [Float] = [0.3, 1.2, -0.5,   // frame 0: ∅, a, b
                               -0.2, 0.4, 0.9]   // frame 1
        let y0 = softmax(Array(logits[0..<3])), y1 = softmax(Array(logits[3..<6]))
        let p = y0[1] * y1[1] + y0[0] * y1[1] + y0[1] * y1[0]
        let lattice = ctcForward(logits: logits, T: 2, V: 3, labels: [1], blank: 0)
        #expect(abs(lattice.negativeLogLikelihood - (-log(p))) < 1e-6)
    }

    /// Uniform posteriors: every one of the V^T paths has probability V^−T, so p(l) is the
    /// number of paths collapsing to l times V^−T. For T = 3, V = 2, l = (1): the paths with
    /// at least one 1 and all 1s contiguous: 110, 011, 111, 100, 010, 001 → 6.
    @Test func uniformPosteriorsCountPaths() {
        let lattice = ctcForward(logits: [Float](repeating: 0, count: 6), T: 3, V: 2, labels: [1], blank: 0)
        #expect(abs(lattice.negativeLogLikelihood - (-log(6.0 / 8.0))) < 1e-9)
    }

    /// Random logits (T, V) and every class path of T frames that collapses to `labels`, with
    /// its probability Π_t y[t, π_t] and the per-frame softmax y.
    func pathsByBruteForce(labels: [Int32], T: Int, V: Int, seed: UInt64)
        -> (logits: [Float], y: [[Double]], paths: [(path: [Int], prob: Double)]) {
        var rng = RNG(seed: seed)
        var logits = [Float](repeating: 0, count: T * V)
        for i in logits.indices { logits[i] = 1.5 * rng.normal() }
        let y = (0..<T).map { softmax(Array(logits[($0 * V)..<(($0 + 1) * V)])) }
        var paths: [(path: [Int], prob: Double)] = []
        for code in 0..<Int(pow(Double(V), Double(T))) {
            var path: [Int] = [], rest = code, prob = 1.0
            for t in 0..<T { let c = rest % V; rest /= V; path.append(c); prob *= y[t][c] }
            if ctcCollapse(path.map(Int32.init), blank: 0) == labels { paths.append((path, prob)) }
        }
        return (logits, y, paths)
    }

    @Test(arguments: [[Int32]([1, 2]), [1, 1], [2], [], [1, 2, 1]])
    func matchesBruteForceOverAllPaths(labels: [Int32]) {
        let (logits, _, paths) = pathsByBruteForce(labels: labels, T: 5, V: 3, seed: 31)
        let p = paths.map(\.prob).reduce(0, +)
        let lattice = ctcForward(logits: logits, T: 5, V: 3, labels: labels, blank: 0)
        #expect(abs(lattice.negativeLogLikelihood - (-log(p))) < 1e-6)
    }

    /// Each frame's share of the likelihood against the posterior over all paths, by brute
    /// force: c_t = Σ_π q(π)·ln y[t, π_t] with q(π) ∝ Π_t y[t, π_t] over the paths collapsing to
    /// the labels; the shares sum to ln p − H(q).
    @Test(arguments: [[Int32]([1, 2]), [1, 1], [2, 1, 2]])
    func frameSharesMatchBruteForce(labels: [Int32]) {
        let T = 5
        let (logits, y, paths) = pathsByBruteForce(labels: labels, T: T, V: 3, seed: 34)
        let p = paths.map(\.prob).reduce(0, +)
        let expected = (0..<T).map { t in paths.map { $0.prob / p * log(y[t][$0.path[t]]) }.reduce(0, +) }
        let entropy = -paths.map { $0.prob / p * log($0.prob / p) }.reduce(0, +)
        let lattice = ctcForward(logits: logits, T: T, V: 3, labels: labels, blank: 0)
        let shares = ctcFrameShares(lattice: lattice)
        #expect(shares.count == T)
        for (c, e) in zip(shares, expected) { #expect(abs(c - e) < 1e-6) }
        #expect(abs(shares.reduce(0, +) + entropy + lattice.negativeLogLikelihood) < 1e-6)
        #expect(ctcFrameShares(lattice: ctcForward(logits: [Float](repeating: 0.1, count: 6), T: 2, V: 3, labels: [1, 1], blank: 0)).isEmpty)
    }

    @Test func gradientMatchesFiniteDifferences() {
        let (T, V) = (7, 5)
        var rng = RNG(seed: 32)
        let logits = Param("logits", count: T * V, rng: &rng, std: 1.5)
        let loss = Slab(count: 1)
        let labels: [Int32] = [1, 3, 3, 2]
        var lattice = ctcForward(logits: logits.p, T: T, V: V, labels: labels, blank: 0)
        checkGradients([logits.checked], output: loss.base, outputCount: 1, eps: 1e-3) {
            lattice = ctcForward(logits: logits.p, T: T, V: V, labels: labels, blank: 0)
            loss.base[0] = Float(lattice.negativeLogLikelihood)
        } backward: { d in
            ctcBackward(dlogits: logits.g, lattice: lattice, scale: d[0])
        }
    }

    /// The gradient of each frame sums to 0 over classes (softmax minus a posterior).
    @Test func gradientRowsSumToZero() {
        var rng = RNG(seed: 33)
        let (T, V) = (6, 4)
        var logits = [Float](repeating: 0, count: T * V)
        for i in logits.indices { logits[i] = rng.normal() }
        let lattice = ctcForward(logits: logits, T: T, V: V, labels: [2, 1], blank: 0)
        var grad = [Float](repeating: 0, count: T * V)
        ctcBackward(dlogits: &grad, lattice: lattice, scale: 1)
        for t in 0..<T { #expect(abs(grad[(t * V)..<((t + 1) * V)].reduce(0, +)) < 1e-5) }
    }

    /// (a a) needs a blank between the two a's: 3 frames. With 2 the likelihood is 0, the
    /// NLL infinite, and backward adds nothing.
    @Test func infeasibleLabelsGiveInfiniteLossAndNoGradient() {
        #expect(ctcMinimumFrames(labels: [1, 1]) == 3)
        #expect(ctcMinimumFrames(labels: [1, 2, 2, 2]) == 6)
        let lattice = ctcForward(logits: [Float](repeating: 0.1, count: 6), T: 2, V: 3, labels: [1, 1], blank: 0)
        #expect(!lattice.isFeasible && lattice.negativeLogLikelihood == .infinity)
        var grad = [Float](repeating: 0, count: 6)
        ctcBackward(dlogits: &grad, lattice: lattice, scale: 1)
        #expect(grad.allSatisfy { $0 == 0 })
    }
}
