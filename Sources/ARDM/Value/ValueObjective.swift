import Foundation

/// The loss that fits V_φ(x_<n, x_n^t) to rewards of finished trajectories (Algorithm 1).
///
/// - `mse` (Eq. 13): (V − r)²; its minimiser is the plain value E[r | x_<n, x_n^t].
/// - `softExp` (Eq. 32): the stable surrogate of the exp-MSE loss (exp V − exp r)² (Eq. 12),
///   (exp(V − sg V) − exp(r − sg V))², whose gradient is 2(1 − exp(r − V))·∇V (Eq. 36) and
///   whose minimiser is the soft value log E[exp r | x_<n, x_n^t] (Eq. 37), the one that
///   makes guidance sample π ∝ μ·exp(r) (Theorem 2).
public enum ValueObjective: String, Codable, Sendable, CaseIterable {
    case mse
    case softExp = "soft_exp"

    /// Largest r − V the soft surrogate exponentiates: beyond it the gradient is clipped (a
    /// sample e^30 times better than predicted would otherwise swamp the batch).
    static let maximumExcess: Float = 30

    /// Loss of one prediction and its derivative with respect to the prediction.
    @inline(__always)
    public func term(prediction v: Float, reward r: Float) -> (loss: Float, gradient: Float) {
        switch self {
        case .mse:
            let e = v - r
            return (e * e, 2 * e)
        case .softExp:
            let e = 1 - Foundation.exp(min(r - v, Self.maximumExcess))
            return (e * e, 2 * e)
        }
    }
}
