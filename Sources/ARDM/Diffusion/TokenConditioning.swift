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
    /// The time MLP's output, one row per step (it does not depend on the LM state).
    private var stepTimes: HeadConditioning?
    /// The times `stepTimes` holds: a sampler asks for the same schedule at every token, so the
    /// time MLP runs once per schedule, not once per token. Emptied by `parametersMayHaveChanged`.
    private var stepTimesFor: [Float] = []
    private var inputStates: Slab?   // (maxRows, C)

    public init(head: DiffusionHead, channels: Int, rowsPerStep: Int) {
        self.head = head; self.channels = channels; self.rowsPerStep = rowsPerStep
    }

    /// Forgets the cached time MLP output. Samplers and guides call it whenever they admit a
    /// request: weights only change between generations (a training step between rollouts), and
    /// every generation starts by admitting its requests.
    public func parametersMayHaveChanged() { stepTimesFor = [] }

    /// Conditions `rows` LM states `states (rows, C)` at each of `times`, in one batched pass.
    public func compute(_ params: ParameterSet, states: UnsafePointer<Float>, rows: Int, times: [Float]) -> HeadConditioning {
        precondition(rows <= rowsPerStep, "\(rows) rows exceed the \(rowsPerStep) per step this was sized for")
        let C = channels, W = head.config.width, needed = rows * times.count
        if conditioning == nil || conditioning!.maxRows < needed {
            conditioning = HeadConditioning(head: head, maxRows: rowsPerStep * times.count)
            inputStates = Slab(count: rowsPerStep * times.count * C)
        }
        if stepTimes == nil || stepTimes!.maxRows < times.count {
            stepTimes = HeadConditioning(head: head, maxRows: times.count)
            stepTimesFor = []
        }
        let result = conditioning!, perStep = stepTimes!, inputs = inputStates!.base
        // Everything in chunks that the few-row kernel takes (at batch 1 one chunk: all steps at
        // once), so every row is computed the same way whatever the batch: a sequence's samples
        // do not depend on who shares its batch (OpenBLAS's kernels for more rows round
        // differently). The time MLP runs once per step, not once per row, and its output is copied
        // to the step's rows: the same bits as computing it row by row.
        if times != stepTimesFor {
            times.withUnsafeBufferPointer { t in
                for start in stride(from: 0, to: times.count, by: FewRowsProduct.maxRows) {
                    head.timeForward(params, perStep, t: t.baseAddress! + start, N: min(FewRowsProduct.maxRows, times.count - start), row: start)
                }
            }
            stepTimesFor = times
        }
        for k in times.indices {
            (inputs + k * rows * C).update(from: states, count: rows * C)
            for j in 0..<rows { (result.cond + (k * rows + j) * W).update(from: perStep.cond + k * W, count: W) }
        }
        for start in stride(from: 0, to: needed, by: FewRowsProduct.maxRows) {
            head.stateForward(params, result, h: inputs + start * C, N: min(FewRowsProduct.maxRows, needed - start), row: start)
        }
        return result
    }
}
