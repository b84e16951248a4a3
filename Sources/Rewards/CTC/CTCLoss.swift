import Foundation
import NN

/// Connectionist temporal classification (Graves et al. 2006) for one sequence, in log space.
///
/// Frames t = 0..<T carry logits (T, V); the label sequence l (length L) is extended with
/// blanks to l' = (∅, l₁, ∅, l₂, …, l_L, ∅), S = 2L + 1 states. A path emits one state per
/// frame and moves by 0 or 1 state, or by 2 when skipping a blank between two different labels.
///
///   α[0, 0] = y[0, ∅],  α[0, 1] = y[0, l₁]
///   α[t, s] = (α[t−1, s] + α[t−1, s−1] + [skip] α[t−1, s−2]) · y[t, l'_s]
///   p(l | x) = α[T−1, S−1] + α[T−1, S−2],   NLL = −ln p(l | x)
///
/// with y = softmax(logits) per frame, all sums done as log-sum-exp in Double. Backward runs
/// the mirror recursion β and gives
///
///   ∂NLL/∂logits[t, v] = y[t, v] − Σ_{s: l'_s = v} α[t, s]·β[t, s] / (y[t, v]·p(l | x))
///
/// (β includes the frame-t emission, as α does, hence the division). A label sequence that
/// cannot fit in T frames has p = 0: its NLL is +∞ and its gradient is zero (such samples are
/// skipped rather than allowed to blow up a batch).
public struct CTCLattice: Sendable {
    public let T: Int, V: Int
    public let labels: [Int32]
    public let blank: Int32
    /// log softmax of the logits, (T, V).
    let logProbs: [Double]
    /// ln α, (T, S).
    let logAlpha: [Double]
    /// −ln p(l | x); +∞ when no path exists.
    public let negativeLogLikelihood: Double

    public var isFeasible: Bool { negativeLogLikelihood.isFinite }
    var states: CTCStates { CTCStates(labels: labels, blank: blank) }
}

/// The extended label sequence l' and its allowed transitions.
struct CTCStates {
    let labels: [Int32], blank: Int32
    var count: Int { 2 * labels.count + 1 }
    /// The class of state s: blank at even s, l_{(s−1)/2} at odd s.
    @inline(__always) func state(_ s: Int) -> Int { s % 2 == 0 ? Int(blank) : Int(labels[s / 2]) }
    /// Whether state s may be entered from s − 2 (a label different from the one two states back).
    @inline(__always) func canSkip(into s: Int) -> Bool { s >= 2 && s % 2 == 1 && labels[s / 2] != labels[s / 2 - 1] }
}

/// Frames a label sequence needs at least: one per label plus a blank between equal neighbours.
public func ctcMinimumFrames(labels: [Int32]) -> Int {
    var repeats = 0
    for i in labels.indices.dropFirst() where labels[i] == labels[i - 1] { repeats += 1 }
    return labels.count + repeats
}

/// Forward: log-softmax and the α recursion over `logits (T, V)` (row stride `V`).
public func ctcForward(logits: UnsafePointer<Float>, T: Int, V: Int, labels: [Int32], blank: Int32) -> CTCLattice {
    precondition(blank >= 0 && Int(blank) < V, "blank \(blank) outside \(V) classes")
    precondition(labels.allSatisfy { $0 >= 0 && Int($0) < V && $0 != blank }, "CTC labels must be classes other than the blank")
    var logProbs = [Double](repeating: 0, count: T * V)
    for t in 0..<T {
        let row = logits + t * V
        var maxv = -Float.infinity
        for v in 0..<V { maxv = max(maxv, row[v]) }
        var sum = 0.0
        for v in 0..<V { sum += exp(Double(row[v] - maxv)) }
        let logZ = Double(maxv) + log(sum)
        for v in 0..<V { logProbs[t * V + v] = Double(row[v]) - logZ }
    }
    let states = CTCStates(labels: labels, blank: blank)
    let S = states.count
    var alpha = [Double](repeating: -.infinity, count: max(T, 1) * S)
    guard T > 0 else {
        return CTCLattice(T: T, V: V, labels: labels, blank: blank, logProbs: logProbs, logAlpha: alpha, negativeLogLikelihood: .infinity)
    }
    alpha[0] = logProbs[Int(blank)]
    if S > 1 { alpha[1] = logProbs[Int(labels[0])] }
    for t in 1..<T {
        let prev = (t - 1) * S, here = t * S
        for s in 0..<S {
            var a = alpha[prev + s]
            if s >= 1 { a = logAddExp(a, alpha[prev + s - 1]) }
            if states.canSkip(into: s) { a = logAddExp(a, alpha[prev + s - 2]) }
            alpha[here + s] = a + logProbs[t * V + states.state(s)]
        }
    }
    let last = (T - 1) * S
    let logP = S > 1 ? logAddExp(alpha[last + S - 1], alpha[last + S - 2]) : alpha[last]
    return CTCLattice(T: T, V: V, labels: labels, blank: blank, logProbs: logProbs, logAlpha: alpha,
                      negativeLogLikelihood: logP.isFinite ? -logP : .infinity)
}

/// Backward: `dlogits (T, V) += scale · ∂NLL/∂logits`. Nothing is added for an infeasible lattice.
public func ctcBackward(dlogits: FloatPointer, lattice l: CTCLattice, scale: Float) {
    guard let gamma = ctcStatePosteriors(l) else { return }
    let states = l.states
    let (T, V, S) = (l.T, l.V, states.count)
    var occupancy = [Double](repeating: 0, count: V)
    for t in 0..<T {
        for v in 0..<V { occupancy[v] = 0 }
        for s in 0..<S { occupancy[states.state(s)] += gamma[t * S + s] }
        let d = dlogits + t * V
        for v in 0..<V { d[v] += scale * Float(exp(l.logProbs[t * V + v]) - occupancy[v]) }
    }
}

/// The share of ln p(l | x) each frame holds: c_t = Σ_s γ[t, s]·ln y[t, l'_s], the expected
/// log-probability of what frame t emits under the posterior over alignments. The shares sum
/// to ln p − H(alignments) ≤ ln p (a peaked alignment has H ≈ 0); a frame whose audio does not
/// say what the labels need there gets a low one. That locates where an utterance loses its
/// likelihood, which the one number −NLL cannot. Empty for an infeasible lattice.
public func ctcFrameShares(lattice l: CTCLattice) -> [Double] {
    guard let gamma = ctcStatePosteriors(l) else { return [] }
    let states = l.states, S = states.count
    return (0..<l.T).map { t in
        (0..<S).reduce(0.0) { sum, s in
            let g = gamma[t * S + s]
            return g > 0 ? sum + g * l.logProbs[t * l.V + states.state(s)] : sum
        }
    }
}

/// γ[t, s] (T, S): the posterior probability that the alignment passes state s at frame t, from
/// α and the mirror recursion β; nil for an infeasible lattice.
func ctcStatePosteriors(_ l: CTCLattice) -> [Double]? {
    guard l.isFeasible else { return nil }
    let states = l.states
    let (T, V, S) = (l.T, l.V, states.count)
    var beta = [Double](repeating: -.infinity, count: T * S)
    let last = (T - 1) * S
    beta[last + S - 1] = l.logProbs[(T - 1) * V + states.state(S - 1)]
    if S > 1 { beta[last + S - 2] = l.logProbs[(T - 1) * V + states.state(S - 2)] }
    for t in stride(from: T - 2, through: 0, by: -1) {
        let next = (t + 1) * S, here = t * S
        for s in 0..<S {
            var b = beta[next + s]
            if s + 1 < S { b = logAddExp(b, beta[next + s + 1]) }
            if s + 2 < S && states.canSkip(into: s + 2) { b = logAddExp(b, beta[next + s + 2]) }
            beta[here + s] = b + l.logProbs[t * V + states.state(s)]
        }
    }
    let logP = -l.negativeLogLikelihood
    var gamma = [Double](repeating: 0, count: T * S)
    for t in 0..<T {
        for s in 0..<S {
            // α·β counts y[t, l'_s] twice; dividing by it leaves the posterior of passing (t, s).
            let logGamma = l.logAlpha[t * S + s] + beta[t * S + s] - l.logProbs[t * V + states.state(s)] - logP
            if logGamma > -.infinity { gamma[t * S + s] = exp(logGamma) }
        }
    }
    return gamma
}

/// ln(eᵃ + eᵇ) without overflow; −∞ is the identity.
@inline(__always) func logAddExp(_ a: Double, _ b: Double) -> Double {
    if a == -.infinity { return b }
    if b == -.infinity { return a }
    return max(a, b) + log1p(exp(-abs(a - b)))
}
