import NN

/// Batched autoregressive sampling with a KV cache, LM guidance (CFG) and a guidance hook.
///
/// Each request occupies one cache slot per LM-guidance branch (`GuidanceBranch`): the
/// conditional sequence `[BOS] text [SEP] prompt-speech …` and, by default, the one with the
/// text dropped, `[BOS][SEP] prompt-speech …`, as in training. Per token: the stop head reads
/// the conditional state; if the sequence goes on, DDPM runs `steps` denoising steps of the
/// diffusion head on every branch's state,
///   v = Σ_b w_b·v_b (= v_t + w·(v_c − v_t) by default),  ε̂ = σ_t·x_t + α_t·v,  x̂_0 = α_t·x_t − σ_t·v,
/// optional guidance `ε̂ ← ε̂ − g` (with x̂_0 recomputed from it), then the DDPM posterior step
/// to the next time; the finished token is fed to every branch. Each request draws its noise from
/// its own `RNG(seed)`, so a request's output does not depend on what else is in the batch, nor
/// on when it joined a running batch (`SamplingSession`: continuous batching).
public final class ARDMSampler: @unchecked Sendable {
    public let model: ARDM
    public let maxBatch: Int
    /// Guidance branches each request may run (2, or 3 for a voice scale other than 1 and cfg).
    public let branches: Int
    /// Positions per sequence: prefix (text + prompt speech) plus generated tokens.
    public var capacity: Int { context.capacity }
    /// Slots `branches·r …` hold request r's branches, the conditional one first.
    let context: ContextDecoder
    let headActs: HeadActivations
    /// The head's conditioning for every step of the current token.
    let tokenConditioning: TokenConditioning
    let slab: Slab
    let condRows, branchNoisy, correction: FloatPointer
    /// The tokens being denoised, one row per sequence of the current step.
    let x: FloatPointer

    /// The longest sequence (text + prompt speech + generated speech) any caller samples: the
    /// model's positional bound, at most 1,024, so that the KV cache of a batch of 16 with three
    /// branches stays a few hundred MB (slots · capacity · layers · 2C floats).
    public static func capacity(for model: ARDM) -> Int { min(model.config.lm.maxPositions, 1024) }

    /// Below this α_t (the first step from pure noise) x̂_0 cannot be recomputed from a guided ε̂.
    public static let guidanceAlphaFloor: Float = 0.05

    public init(model: ARDM, maxBatch: Int, capacity: Int, branches: Int = 2) {
        self.model = model; self.maxBatch = maxBatch; self.branches = branches
        let C = model.config.lm.channels, D = model.config.tokenWidth, rows = branches * maxBatch
        context = ContextDecoder(model: model, slots: rows, capacity: capacity)
        headActs = HeadActivations(head: model.head, maxRows: rows)
        tokenConditioning = TokenConditioning(head: model.head, channels: C, rowsPerStep: rows)
        var layout = Layout()
        for (name, shape) in [("condRows", [rows, C]), ("branchNoisy", [rows, D]),
                              ("x", [maxBatch, D]), ("correction", [maxBatch, D])] {
            layout.add(name, shape)
        }
        let slab = Slab(count: layout.count)
        self.slab = slab
        func v(_ n: String) -> FloatPointer { slab.pointer(at: layout.offset(n)) }
        condRows = v("condRows"); branchNoisy = v("branchNoisy")
        x = v("x"); correction = v("correction")
    }

    /// The cache slot of branch `branch` of the request in sampler slot `request`.
    @inline(__always) func contextSlot(request: Int, branch: Int) -> Int { branches * request + branch }

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
    /// denoising steps of the diffusion head with LM guidance (`weights`: one per branch, in the
    /// order of the request's cache slots) and the optional guidance hook.
    func denoiseToken(slots: [Int], options: SamplingOptions, weights: [Float], guidance: SamplingGuidance?, rngs: inout [RNG]) {
        let C = model.config.lm.channels, D = model.config.tokenWidth, nb = weights.count
        for (i, slot) in slots.enumerated() {
            for d in 0..<D { x[i * D + d] = options.temperature * rngs[slot].normal() }
            for b in 0..<nb {
                (condRows + (nb * i + b) * C).update(from: context.state(contextSlot(request: slot, branch: b)), count: C)
            }
        }
        let times = NoiseSchedule.samplingTimes(steps: options.steps)
        let stepTimes = Array(times.prefix(options.steps))   // the time of each step (not the final 0)
        let conditioning = tokenConditioning.compute(model.params, states: condRows, rows: nb * slots.count, times: stepTimes)
        guidance?.beginToken(times: stepTimes, sequences: slots)
        for k in 0..<options.steps {
            denoiseStep(active: slots, step: k, times: times, weights: weights, conditioning: conditioning,
                        options: options, guidance: guidance, rngs: &rngs)
        }
    }

    /// DDPM step k (time t = times[k] to s = times[k + 1]) for the n active sequences' tokens in `x`.
    private func denoiseStep(active: [Int], step k: Int, times: [Float], weights: [Float], conditioning: HeadConditioning,
                             options: SamplingOptions, guidance: SamplingGuidance?, rngs: inout [RNG]) {
        let n = active.count, nb = weights.count, D = model.config.tokenWidth, t = times[k], s = times[k + 1]
        for i in 0..<n {
            for b in 0..<nb { (branchNoisy + (nb * i + b) * D).update(from: x + i * D, count: D) }
        }
        model.head.trunkForward(model.params, headActs, xt: branchNoisy, N: nb * n, conditioning: conditioning, row: k * nb * n)
        let v = headActs.output
        let guided = guidance != nil && NoiseSchedule.alpha(t) >= Self.guidanceAlphaFloor
        if guided { guidance!.epsilonCorrection(xt: x, step: k, t: t, sequences: active, into: correction) }
        let step = DDPMStep(t: t, s: s, temperature: options.temperature)
        for (i, r) in active.enumerated() {
            step.apply(x: x + i * D, branches: v + nb * i * D, weights: weights, D: D,
                       correction: guided ? UnsafePointer(correction + i * D) : nil, rng: &rngs[r])
        }
    }
}
