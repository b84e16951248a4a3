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
/// its own `RNG(seed)`, so a request's output does not depend on what else is in the batch.
public final class ARDMSampler: @unchecked Sendable {
    public let model: ARDM
    public let maxBatch: Int
    /// Positions per sequence: prefix (text + prompt speech) plus generated tokens.
    public let capacity: Int
    let cache: KVCache
    let decode: DecodeWorkspace
    let prefillActs: TransformerActivations
    let headActs: HeadActivations
    let slab: Slab
    let states, condRows, pairedNoisy, pairedTimes, x, correction, projected, prompt: FloatPointer

    /// Below this α_t (the first step from pure noise) x̂_0 cannot be recomputed from a guided ε̂.
    static let guidanceAlphaFloor: Float = 0.05

    public init(model: ARDM, maxBatch: Int, capacity: Int) {
        self.model = model; self.maxBatch = maxBatch; self.capacity = capacity
        let C = model.config.lm.channels, D = model.config.tokenWidth
        cache = model.lm.makeCache(slots: 2 * maxBatch, capacity: capacity)
        decode = DecodeWorkspace(config: model.config.lm, maxB: 2 * maxBatch, cacheCapacity: capacity)
        prefillActs = TransformerActivations(config: model.config.lm, maxB: 1, maxT: capacity)
        headActs = HeadActivations(head: model.head, maxRows: 2 * maxBatch)
        var layout = Layout()
        for (name, shape) in [("states", [2 * maxBatch, C]), ("condRows", [2 * maxBatch, C]), ("pairedNoisy", [2 * maxBatch, D]),
                              ("pairedTimes", [2 * maxBatch]), ("x", [maxBatch, D]), ("correction", [maxBatch, D]),
                              ("projected", [capacity, C]), ("prompt", [capacity, D])] {
            layout.add(name, shape)
        }
        let slab = Slab(count: layout.count)
        self.slab = slab
        func v(_ n: String) -> FloatPointer { slab.pointer(at: layout.offset(n)) }
        states = v("states"); condRows = v("condRows"); pairedNoisy = v("pairedNoisy"); pairedTimes = v("pairedTimes")
        x = v("x"); correction = v("correction"); projected = v("projected"); prompt = v("prompt")
    }

    /// Generates speech tokens for up to `maxBatch` requests at once.
    public func generate(_ requests: [SynthesisRequest], options: SamplingOptions = SamplingOptions(),
                         guidance: SamplingGuidance? = nil) -> [SynthesisResult] {
        precondition(requests.count <= maxBatch, "\(requests.count) requests exceed the sampler's batch of \(maxBatch)")
        let C = model.config.lm.channels, D = model.config.tokenWidth
        let w = model.params.values.base
        var rngs = requests.map { RNG(seed: $0.seed) }
        var tokens = requests.map { _ in [Float]() }
        var stopped = [Bool](repeating: false, count: requests.count)
        var nextPosition = [Int32](repeating: 0, count: requests.count)
        for (r, request) in requests.enumerated() {
            let promptTokens = request.promptSpeech.count / D
            for (slot, text) in [(2 * r, [model.config.bosID] + request.textIDs + [model.config.sepID]),
                                 (2 * r + 1, [model.config.bosID, model.config.sepID])] {
                prefill(slot: slot, text: text, promptSpeech: request.promptSpeech, into: states + slot * C)
            }
            nextPosition[r] = Int32(promptTokens)
        }
        let times = NoiseSchedule.samplingTimes(steps: options.steps)
        var active = Array(requests.indices)
        while !active.isEmpty {
            // Stop decisions on the conditional states.
            active = active.filter { r in
                let h = states + 2 * r * C
                var logit = w[model.stopB]
                for c in 0..<C { logit += h[c] * w[model.stopW + c] }
                let done = (!tokens[r].isEmpty && 1 / (1 + fastExp(-logit)) > options.stopThreshold)
                if done { stopped[r] = true }
                let room = tokens[r].count / D < requests[r].maxTokens
                    && Int(nextPosition[r]) + 1 < capacity - requests[r].textIDs.count - 2
                return !done && room
            }
            guard !active.isEmpty else { break }
            let n = active.count
            for (i, r) in active.enumerated() {
                for d in 0..<D { x[i * D + d] = options.temperature * rngs[r].normal() }
                (condRows + 2 * i * C).update(from: states + 2 * r * C, count: 2 * C)
            }
            for k in 0..<options.steps {
                denoiseStep(active: active, t: times[k], s: times[k + 1], options: options, guidance: guidance, rngs: &rngs)
            }
            // Append the tokens and feed them to both slots of each sequence.
            linearForward(out: projected, inp: x, weight: w + model.speechInW, bias: w + model.speechInB, N: n, C: D, OC: C)
            var slots: [Int] = [], positions: [Int32] = []
            for (i, r) in active.enumerated() {
                tokens[r].append(contentsOf: UnsafeBufferPointer(start: x + i * D, count: D))
                for half in 0..<2 {
                    (decode.input + (2 * i + half) * C).update(from: projected + i * C, count: C)
                    slots.append(2 * r + half); positions.append(nextPosition[r])
                }
                nextPosition[r] += 1
            }
            model.lm.decodeStep(model.params, decode, cache: cache, slots: slots, positions: positions)
            for (i, r) in active.enumerated() { (states + 2 * r * C).update(from: decode.output + 2 * i * C, count: 2 * C) }
        }
        return requests.indices.map { SynthesisResult(tokens: tokens[$0], tokenCount: tokens[$0].count / D, stopped: stopped[$0]) }
    }

    /// One DDPM step from time t to s < t for the n active sequences' tokens in `x`.
    private func denoiseStep(active: [Int], t: Float, s: Float, options: SamplingOptions,
                             guidance: SamplingGuidance?, rngs: inout [RNG]) {
        let n = active.count, D = model.config.tokenWidth, C = model.config.lm.channels
        for i in 0..<n {
            for half in 0..<2 { (pairedNoisy + (2 * i + half) * D).update(from: x + i * D, count: D) }
        }
        for j in 0..<(2 * n) { pairedTimes[j] = t }
        model.head.forward(model.params, headActs, xt: pairedNoisy, t: pairedTimes, h: condRows, N: 2 * n)
        let v = headActs.output
        let guided = guidance != nil && NoiseSchedule.alpha(t) >= Self.guidanceAlphaFloor
        if guided {
            // The guidance sees the conditional states (rows 0, 2, 4, … of condRows).
            for i in 0..<n { (pairedNoisy + i * C).update(from: condRows + 2 * i * C, count: C) }
            guidance!.epsilonCorrection(xt: x, t: t, h: pairedNoisy, sequences: active, into: correction)
        }
        let step = DDPMStep(t: t, s: s, temperature: options.temperature)
        for (i, r) in active.enumerated() {
            step.apply(x: x + i * D, vCond: v + 2 * i * D, vUncond: v + (2 * i + 1) * D, cfg: options.cfg, D: D,
                       correction: guided ? UnsafePointer(correction + i * D) : nil, rng: &rngs[r])
        }
    }

    /// Runs a prefix through the LM into a cache slot and leaves its last hidden state in `state (C)`.
    private func prefill(slot: Int, text: [Int32], promptSpeech: [Float], into state: FloatPointer) {
        let C = model.config.lm.channels, D = model.config.tokenWidth
        let w = model.params.values.base
        let S = promptSpeech.count / D, L = text.count, T = L + S
        precondition(T < capacity, "prefix of \(T) positions does not fit the sampler's \(capacity)")
        cache.reset(slot: slot)
        for (j, id) in text.enumerated() {
            (prefillActs.input + j * C).update(from: w + model.textEmbedding + Int(id) * C, count: C)
        }
        if S > 0 {
            promptSpeech.withUnsafeBufferPointer { prompt.update(from: $0.baseAddress!, count: S * D) }
            linearForward(out: prefillActs.input + L * C, inp: prompt, weight: w + model.speechInW,
                          bias: w + model.speechInB, N: S, C: D, OC: C)
        }
        let positions = (0..<L).map(Int32.init) + (0..<S).map(Int32.init)
        model.lm.prefill(model.params, prefillActs, cache: cache, slot: slot, T: T, positions: positions, textLength: L)
        state.update(from: prefillActs.output + (T - 1) * C, count: C)
    }
}
