import ARDM
import NN

/// Value-guided sampling (Algorithm 2): at every diffusion step of every token the sampler's
/// score becomes s_μ + λ·∇_{x_t} V_φ(x_<n, x_t, t), i.e. ε̂ ← ε̂ − λ·σ_t·∇V.
///
/// The value model is a whole ARDM of its own (LM + value head), so it follows each sequence
/// in its own KV cache: `admit` prefills the sequence's slot with the same text and prompt,
/// `append` feeds it every finished token. ∇V needs only a backward pass through the value
/// head, the LM state being fixed for the token.
public final class ValueGuidance: SamplingGuidance, @unchecked Sendable {
    public let value: ARDM
    /// λ, per unit of the raw reward (as in the paper's tables): 1 is the theory's optimal
    /// policy π ∝ μ·exp(r) (Theorem 2); larger pushes harder.
    public var scale: Float
    /// Raw reward units per unit of the value model's output: value models predict the
    /// normalised reward z = (r − mean)/std, so ∇r = std·∇z.
    public let rewardStd: Float
    let context: ContextDecoder
    let headActs: HeadActivations
    let slab: Slab
    let states, times, ones: FloatPointer   // (maxBatch, C), (maxBatch), (maxBatch)
    /// The value head's conditioning for every step of the current token, and the current one.
    let tokenConditioning: TokenConditioning
    private var conditioning: HeadConditioning?

    public init(value: ARDM, scale: Float, maxBatch: Int, capacity: Int, rewardStd: Float = 1) {
        precondition(value.config.isValueModel, "value guidance needs a value model")
        self.value = value; self.scale = scale; self.rewardStd = rewardStd
        let C = value.config.lm.channels
        context = ContextDecoder(model: value, slots: maxBatch, capacity: capacity)
        headActs = HeadActivations(head: value.head, maxRows: maxBatch)
        tokenConditioning = TokenConditioning(head: value.head, channels: C, rowsPerStep: maxBatch)
        var layout = Layout()
        layout.add("states", [maxBatch, C]); layout.add("times", [maxBatch]); layout.add("ones", [maxBatch])
        let slab = Slab(count: layout.count)
        self.slab = slab
        states = slab.pointer(at: layout.offset("states"))
        times = slab.pointer(at: layout.offset("times"))
        ones = slab.pointer(at: layout.offset("ones"))
        ones.update(repeating: 1, count: maxBatch)
    }

    public func admit(_ request: SynthesisRequest, slot: Int) {
        precondition(slot < context.slots, "slot \(slot) is beyond the guide's batch of \(context.slots)")
        context.prefill(slot: slot, textIDs: request.textIDs, promptSpeech: request.promptSpeech)
        tokenConditioning.parametersMayHaveChanged()
    }

    public func beginToken(times stepTimes: [Float], sequences: [Int]) {
        let C = value.config.lm.channels
        for (i, r) in sequences.enumerated() { (states + i * C).update(from: context.state(r), count: C) }
        conditioning = tokenConditioning.compute(value.params, states: states, rows: sequences.count, times: stepTimes)
    }

    public func epsilonCorrection(xt: UnsafePointer<Float>, step: Int, t: Float, sequences: [Int],
                                  into g: UnsafeMutablePointer<Float>) {
        let N = sequences.count, D = value.config.tokenWidth
        value.head.trunkForward(value.params, headActs, xt: xt, N: N, conditioning: conditioning!, row: step * N)
        g.update(repeating: 0, count: N * D)
        // Input gradient only: without parameter or LM-state gradients the backward never reads h
        // (`states` holds this token's LM states anyway, from `beginToken`).
        value.head.backward(value.params, headActs, dout: ones, xt: xt, h: states, dxt: g, dh: nil, parameterGradients: false)
        let factor = scale * rewardStd * NoiseSchedule.sigma(t)
        for i in 0..<(N * D) { g[i] *= factor }
    }

    /// V(x_<n, x_t, t) of each sequence's noisy token: what the correction differentiates.
    public func values(xt: UnsafePointer<Float>, t: Float, sequences: [Int]) -> [Float] {
        let N = sequences.count, C = value.config.lm.channels
        for (i, r) in sequences.enumerated() { (states + i * C).update(from: context.state(r), count: C) }
        times.update(repeating: t, count: N)
        value.head.forward(value.params, headActs, xt: xt, t: times, h: states, N: N)
        return Array(UnsafeBufferPointer(start: headActs.output, count: N))
    }

    public func append(tokens: UnsafePointer<Float>, sequences: [Int]) {
        context.append(tokens: tokens, slotGroups: sequences.map { [$0] })
    }
}
