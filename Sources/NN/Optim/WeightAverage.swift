/// An exponential moving average of a parameter set's values (Polyak averaging, as diffusion
/// models are usually sampled from): after every optimiser step
///   average ← average + (1 − decay)·(θ − average),
/// so the average forgets with a time constant of 1 / (1 − decay) steps. It starts as a copy of
/// the parameters (no bias correction needed) and never feeds back into training.
///
/// Why: the weights of one step carry that step's gradient noise (batches of 16 sequences here);
/// the average over the last few hundred steps samples more cleanly than any one of them.
public final class WeightAverage: @unchecked Sendable {
    public let decay: Float
    /// The averaged values, in the parameter set's layout.
    public let values: Slab

    public init(of params: ParameterSet, decay: Float) {
        precondition(decay > 0 && decay < 1, "a weight average needs decay in (0, 1), got \(decay)")
        self.decay = decay
        values = Slab(count: params.values.count)
        values.copy(from: params.values)
    }

    /// Moves the average toward `params`' current values.
    public func update(from params: ParameterSet) {
        precondition(params.values.count == values.count, "parameter count differs from the average's")
        let rate = 1 - decay, a = values.base, w = params.values.base
        Parallel.forRanges(values.count, grain: 65_536) { range in
            for i in range { a[i] += rate * (w[i] - a[i]) }
        }
    }
}
