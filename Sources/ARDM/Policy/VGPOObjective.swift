import NN

/// VGPO's objective at a point (paper Eqs. 14-16 and 18), written for a v-predicting head.
///
/// With score s = −ε/σ_t and losses weighted by σ_t² (ε units, the usual DDPM weighting):
///   L_KL = ‖ε_θ − ε_μ‖² = α_t²·‖v_θ − v_μ‖²                         (Eq. 15)
///   ∂L_VG/∂ε_θ = 2·g,  g = σ_t·∇_{x_t}V                             (Eq. 16, at s_θ = sg[s_θ])
/// so `w_KL·L_KL + L_VG` is minimised at ε_θ = ε_μ − g/w_KL: the policy learns to sample what
/// value-guided sampling of μ at λ = 1/w_KL samples. ADM's L_G (Eq. 18) is the same term with
/// the discriminator's gradient, so `g` carries their weighted sum (`correction`).
public struct VGPOObjective: Sendable {
    public var klWeight: Float
    public init(klWeight: Float) { self.klWeight = klWeight }

    /// Means over the N·D elements: the KL proxy ‖ε_θ − ε_μ‖² and ‖g‖².
    public struct Terms: Sendable { public var kl: Float; public var guidance: Float }

    /// dL/dv_θ into `dv (N, D)` (a mean over the N·D elements) for the policy's predictions
    /// `v (N, D)`, the reference's `reference (N, D)` and the ε-unit guidance `correction (N, D)`
    /// at the points' times.
    public func gradient(v: UnsafePointer<Float>, reference: UnsafePointer<Float>, correction: UnsafePointer<Float>,
                         times: [Float], D: Int, into dv: FloatPointer) -> Terms {
        let N = times.count, scale = 1 / Float(N * D)
        var kl: Float = 0, guidance: Float = 0
        for (j, t) in times.enumerated() {
            let a = NoiseSchedule.alpha(t)
            for d in 0..<D {
                let i = j * D + d, diff = v[i] - reference[i], g = correction[i]
                kl += a * a * diff * diff
                guidance += g * g
                dv[i] = scale * (2 * klWeight * a * a * diff + 2 * a * g)
            }
        }
        return Terms(kl: kl * scale, guidance: guidance * scale)
    }

    /// The KL proxy alone, Σ α_t²·‖v_θ − v_μ‖² over the N·D elements (a sum, so that callers
    /// averaging over several batches weigh every element alike).
    public static func klSum(v: UnsafePointer<Float>, reference: UnsafePointer<Float>, times: [Float], D: Int) -> Double {
        var total: Double = 0
        for (j, t) in times.enumerated() {
            let a = Double(NoiseSchedule.alpha(t))
            for d in 0..<D { let diff = Double(v[j * D + d] - reference[j * D + d]); total += a * a * diff * diff }
        }
        return total
    }
}
