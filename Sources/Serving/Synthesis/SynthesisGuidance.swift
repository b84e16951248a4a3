/// Value guidance as a job carries it to the scheduler's worker: which value model, at which
/// λ > 0 (λ = 0 is plain sampling and travels as no guidance at all, so it batches with plain
/// jobs and gives their exact samples).
///
/// One guide (one KV cache, one λ) follows every sequence of a batch, so jobs share a batch only
/// when they carry the same value model object and the same λ.
public struct SynthesisGuidance: Sendable, Equatable {
    public let value: ValueModel
    public let scale: Float

    public init(value: ValueModel, scale: Float) {
        precondition(scale.isFinite && scale > 0, "guidance needs a finite λ > 0, got \(scale)")
        self.value = value
        self.scale = scale
    }

    public static func == (a: SynthesisGuidance, b: SynthesisGuidance) -> Bool {
        a.value === b.value && a.scale == b.scale
    }
}
