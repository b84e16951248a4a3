import ARDM
import NN
import Testing

/// The two corrections of LM guidance's extrapolation in `DDPMStep`, read off the last step
/// (s = 0), where the step returns x̂₀ = α_t·x − σ_t·v itself.
@Suite struct DDPMStepTests {
    static let D = 64, t: Float = 0.6
    static let weights: [Float] = [2, -1]

    /// x, and two branches of different spread (the conditional one first).
    static func inputs() -> (x: [Float], branches: [Float]) {
        var rng = RNG(seed: 5)
        let x = (0..<D).map { _ in rng.normal() }
        let conditional = (0..<D).map { _ in 0.8 * rng.normal() + 0.1 }
        let dropped = (0..<D).map { _ in 0.3 * rng.normal() }
        return (x, conditional + dropped)
    }

    /// The last step's x̂₀.
    static func clean(_ options: SamplingOptions) -> [Float] {
        var (x, branches) = inputs()
        var rng = RNG(seed: 1)
        options.step(t: t, s: 0).apply(x: &x, branches: branches, weights: weights, D: D, correction: nil, rng: &rng)
        return x
    }

    /// The velocity the last step used, recovered from its x̂₀.
    static func velocity(_ options: SamplingOptions) -> [Float] {
        let (alpha, sigma) = (NoiseSchedule.alpha(t), NoiseSchedule.sigma(t))
        return zip(inputs().x, clean(options)).map { (alpha * $0 - $1) / sigma }
    }

    static func std(_ values: some Collection<Float>) -> Float {
        let mean = values.reduce(0, +) / Float(values.count)
        return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(values.count)).squareRoot()
    }

    @Test func rescalingBringsTheSpreadBackToTheConditionalBranch() {
        let branches = Self.inputs().branches
        let guided = (0..<Self.D).map { 2 * branches[$0] - branches[Self.D + $0] }
        let plain = Self.velocity(SamplingOptions())
        for (a, b) in zip(plain, guided) { #expect(abs(a - b) < 1e-4) }

        let conditionalStd = Self.std(branches.prefix(Self.D)), guidedStd = Self.std(guided)
        #expect(guidedStd > 1.5 * conditionalStd)   // guidance w = 2 widened it
        let full = Self.velocity(SamplingOptions(cfgRescale: 1))
        #expect(abs(Self.std(full) - conditionalStd) < 1e-4)
        // φ = 0.5: halfway between the two factors, the direction unchanged.
        let half = Self.velocity(SamplingOptions(cfgRescale: 0.5))
        let factor = 0.5 * conditionalStd / guidedStd + 0.5
        for (a, b) in zip(half, guided) { #expect(abs(a - factor * b) < 1e-4) }
    }

    @Test func boundClampsOnlyWhatLiesOutside() {
        let bound: Float = 0.5
        let free = Self.clean(SamplingOptions()), clamped = Self.clean(SamplingOptions(x0Bound: bound))
        #expect(free.contains { abs($0) > bound } && free.contains { abs($0) < bound })
        for (a, b) in zip(free, clamped) { #expect(abs(min(max(a, -bound), bound) - b) < 1e-4) }
    }
}
