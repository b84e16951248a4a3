import NN

/// Batched autoregressive sampling with a KV cache, LM guidance (CFG) and a guidance hook.
///
/// Each request occupies two cache slots: the conditional sequence
/// `[BOS] text [SEP] prompt-speech …` and the unconditional one `[BOS][SEP] prompt-speech …`
/// (text dropped, as in training). Per token: the stop head reads the conditional state; if the
/// sequence goes on, DDPM runs `steps` denoising steps of the diffusion head on both states,
///   v = v_u + w·(v_c − v_u),  ε̂ = σ_t·x_t + α_t·v,  x̂_0 = α_t·x_t − σ_t·v,
/// optional guidance `ε̂ ← ε̂ − g` (with x̂_0 recomputed from it), then the DDPM posterior step
/// to the next time; the finished token is fed to both slots. Each request draws its noise from
/// its own `RNG(seed)`, so a request's output does not depend on what else is in the batch, nor
/// on when it joined a running batch (`SamplingSession`: continuous batching).
public final class ARDMSampler: @unchecked Sendable {
    public let model: ARDM
    public let maxBatch: Int
    /// Positions per sequence: prefix (text + prompt speech) plus generated tokens.
    public var capacity: Int { context.capacity }
    /// Slot 2r holds request r with its text, slot 2r + 1 without.
    let context: ContextDecoder
    let headActs: HeadActivations
    /// The head's conditioning for every step of the current token.
    let tokenConditioning: TokenConditioning
    let slab: Slab
    let condRows, pairedNoisy, correction: FloatPointer
    /// The tokens being denoised, one row per sequence of the current step.
    let x: FloatPointer

    /// Below this α_t (the first step from pure noise) x̂_0 cannot be recomputed from a guided ε̂.
    public static let guidanceAlphaFloor: Float = 0.05

    public init(model: ARDM, maxBatch: Int, capacity: Int) {
        self.model = model; self.maxBatch = maxBatch
        let C = model.config.lm.channels, D = model.config.tokenWidth
        context = ContextDecoder(model: model, slots: 2 * maxBatch, capacity: capacity)
        headActs = HeadActivations(head: model.head, maxRows: 2 * maxBatch)
        tokenConditioning = TokenConditioning(head: model.head, channels: C, rowsPerStep: 2 * maxBatch)
        var layout = Layout()
        for (name, shape) in [("condRows", [2 * maxBatch, C]), ("pairedNoisy", [2 * maxBatch, D]),
                              ("x", [maxBatch, D]), ("correction", [maxBatch, D])] {
            layout.add(name, shape)
        }
        let slab = Slab(count: layout.count)
        self.slab = slab
        func v(_ n: String) -> FloatPointer { slab.pointer(at: layout.offset(n)) }
        condRows = v("condRows"); pairedNoisy = v("pairedNoisy")
        x = v("x"); correction = v("correction")
    }

    /// Generates speech tokens for up to `maxBatch` requests at once: one session that admits
    /// them all and steps until every one has finished.
    public func generate(_ requests: [SynthesisRequest], options: SamplingOptions = SamplingOptions(),
                         guidance: SamplingGuidance? = nil) -> [SynthesisResult] {
        precondition(requests.count <= maxBatch, "\(requests.count) requests exceed the sampler's batch of \(maxBatch)")
        let session = SamplingSession(sampler: self, options: options, guidance: guidance)
        let slots = requests.map { session.admit($0) }
        var results = [Int: SynthesisResult]()
        while session.activeCount > 0 {
            for (slot, result) in session.step() { results[slot] = result }
        }
        return slots.map { results[$0]! }
    }

    /// One token of the sequences in `slots` (rows of `x` in that order), all `options.steps`
    /// denoising steps of the diffusion head with LM guidance and the optional guidance hook.
    func denoiseToken(slots: [Int], options: SamplingOptions, guidance: SamplingGuidance?, rngs: inout [RNG]) {
        let C = model.config.lm.channels, D = model.config.tokenWidth
        for (i, slot) in slots.enumerated() {
            for d in 0..<D { x[i * D + d] = options.temperature * rngs[slot].normal() }
            (condRows + 2 * i * C).update(from: context.state(2 * slot), count: 2 * C)
        }
        let times = NoiseSchedule.samplingTimes(steps: options.steps)
        let stepTimes = Array(times.prefix(options.steps))   // the time of each step (not the final 0)
        let conditioning = tokenConditioning.compute(model.params, states: condRows, rows: 2 * slots.count, times: stepTimes)
        guidance?.beginToken(times: stepTimes, sequences: slots)
        for k in 0..<options.steps {
            denoiseStep(active: slots, step: k, times: times, conditioning: conditioning, options: options,
                        guidance: guidance, rngs: &rngs)
        }
    }

    /// DDPM step k (time t = times[k] to s = times[k + 1]) for the n active sequences' tokens in `x`.
    private func denoiseStep(active: [Int], step k: Int, times: [Float], conditioning: HeadConditioning,
                             options: SamplingOptions, guidance: SamplingGuidance?, rngs: inout [RNG]) {
        let n = active.count, D = model.config.tokenWidth, t = times[k], s = times[k + 1]
        for i in 0..<n {
            for half in 0..<2 { (pairedNoisy + (2 * i + half) * D).update(from: x + i * D, count: D) }
        }
        model.head.trunkForward(model.params, headActs, xt: pairedNoisy, N: 2 * n, conditioning: conditioning, row: k * 2 * n)
        let v = headActs.output
        let guided = guidance != nil && NoiseSchedule.alpha(t) >= Self.guidanceAlphaFloor
        if guided { guidance!.epsilonCorrection(xt: x, step: k, t: t, sequences: active, into: correction) }
        let step = DDPMStep(t: t, s: s, temperature: options.temperature)
        for (i, r) in active.enumerated() {
            step.apply(x: x + i * D, vCond: v + 2 * i * D, vUncond: v + (2 * i + 1) * D, cfg: options.cfg, D: D,
                       correction: guided ? UnsafePointer(correction + i * D) : nil, rng: &rngs[r])
        }
    }
}
