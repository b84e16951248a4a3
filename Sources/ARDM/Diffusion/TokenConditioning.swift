import NN

/// A sampler's head conditioning for every denoising step of the token being generated (see
/// `HeadConditioning`): row k·rows + j is step k (time `times[k]`) of LM state j. Used by the
/// sampler for the base head and by value guidance for the value head. The buffers are sized
/// for `rowsPerStep` rows and grow when more steps are asked for.
public final class TokenConditioning: @unchecked Sendable {
    let head: DiffusionHead
    let channels: Int
    let rowsPerStep: Int
    private var conditioning: HeadConditioning?
    private var inputs: Slab?   // (maxRows, C) LM states, then (maxRows) times

    public init(head: DiffusionHead, channels: Int, rowsPerStep: Int) {
        self.head = head; self.channels = channels; self.rowsPerStep = rowsPerStep
    }

    /// Conditions `rows` LM states `states (rows, C)` at each of `times`, in one batched pass.
    public func compute(_ params: ParameterSet, states: UnsafePointer<Float>, rows: Int, times: [Float]) -> HeadConditioning {
        precondition(rows <= rowsPerStep, "\(rows) rows exceed the \(rowsPerStep) per step this was sized for")
        let C = channels, needed = rows * times.count
        if conditioning == nil || conditioning!.maxRows < needed {
            let capacity = rowsPerStep * times.count
            conditioning = HeadConditioning(head: head, maxRows: capacity)
            inputs = Slab(count: capacity * (C + 1))
        }
        let result = conditioning!, inputStates = inputs!.base, inputTimes = inputs!.base + result.maxRows * C
        for (k, t) in times.enumerated() {
            (inputStates + k * rows * C).update(from: states, count: rows * C)
            (inputTimes + k * rows).update(repeating: t, count: rows)
        }
        // In chunks that the few-row kernel takes (at batch 1 one chunk: all steps at once), so
        // every row is computed the same way whatever the batch: a sequence's samples do not
        // depend on who shares its batch (OpenBLAS's kernels for more rows round differently).
        for start in stride(from: 0, to: needed, by: FewRowsProduct.maxRows) {
            let n = min(FewRowsProduct.maxRows, needed - start)
            head.conditioningForward(params, result, t: inputTimes + start, h: inputStates + start * C, N: n, row: start)
        }
        return result
    }
}
