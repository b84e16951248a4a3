import NN

extension ARDM {
    /// Teacher-forced sampling: every target token of `example` is sampled by the diffusion head
    /// (DDPM, LM guidance) from the LM state given the *true* previous tokens, all tokens at once
    /// from one whole-sequence forward of each guidance branch's sequence, built as the sampler
    /// builds them (a branch that drops the prompt starts at the target speech).
    /// Separates acoustic modelling from alignment: free-running errors compound, these do not.
    /// Returns the sampled target tokens (S − promptTokenCount, D).
    public func teacherForcedSample(_ example: ARDMExample, options: SamplingOptions, seed: UInt64) -> [Float] {
        let C = config.lm.channels, D = config.tokenWidth
        let S = example.tokenCount(width: D), first = example.promptTokenCount, n = S - first
        guard n > 0 else { return [] }
        let branches = options.guidanceBranches, nb = branches.count, weights = branches.map(\.weight)
        let texts = branches.map { [config.bosID] + ($0.dropsText ? [] : example.textIDs) + [config.sepID] }
        // Where each sequence's speech starts in the example's tokens.
        let skipped = branches.map { $0.dropsPrompt ? first : 0 }
        let T = texts[0].count + S
        let acts = TransformerActivations(config: config.lm, maxB: nb, maxT: T)
        let w = params.values.base
        let projected = Slab(count: S * C)
        example.speech.withUnsafeBufferPointer {
            linearForward(out: projected.base, inp: $0.baseAddress!, weight: w + speechInW, bias: w + speechInB, N: S, C: D, OC: C)
        }
        acts.input.update(repeating: 0, count: nb * T * C)
        var positions = [Int32](repeating: 0, count: nb * T)
        for (b, text) in texts.enumerated() {
            for (j, id) in text.enumerated() {
                (acts.input + (b * T + j) * C).update(from: w + textEmbedding + Int(id) * C, count: C)
                positions[b * T + j] = Int32(j)
            }
            (acts.input + (b * T + text.count) * C).update(from: projected.base + skipped[b] * C, count: (S - skipped[b]) * C)
            for i in 0..<(T - text.count) { positions[b * T + text.count + i] = Int32(i) }
        }
        lm.forward(params, acts, B: nb, T: T, positions: positions, textLengths: texts.map { Int32($0.count) })
        // Rows [token i of each branch] for the target tokens, as the sampler groups them.
        let head = HeadActivations(head: self.head, maxRows: nb * n)
        let states = Slab(count: nb * n * C), noisy = Slab(count: nb * n * D), times = Slab(count: nb * n), x = Slab(count: n * D)
        for i in 0..<n {
            for (b, text) in texts.enumerated() {
                (states.base + (nb * i + b) * C).update(from: acts.output + (b * T + text.count - 1 + first - skipped[b] + i) * C, count: C)
            }
        }
        var rng = RNG(seed: seed)
        for i in 0..<(n * D) { x.base[i] = options.temperature * rng.normal() }
        let grid = NoiseSchedule.samplingTimes(steps: options.steps)
        for k in 0..<options.steps {
            for i in 0..<n { for b in 0..<nb { (noisy.base + (nb * i + b) * D).update(from: x.base + i * D, count: D) } }
            times.base.update(repeating: grid[k], count: nb * n)
            self.head.forward(params, head, xt: noisy.base, t: times.base, h: states.base, N: nb * n)
            let step = DDPMStep(t: grid[k], s: grid[k + 1], temperature: options.temperature)
            for i in 0..<n {
                step.apply(x: x.base + i * D, branches: head.output + nb * i * D, weights: weights, D: D,
                           correction: nil, rng: &rng)
            }
        }
        return x.toArray()
    }
}
