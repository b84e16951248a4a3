import ARDM
import NN
import Testing

@Suite struct SamplerTests {
    static func model() -> ARDM { TinyModels.randomModel(seed: 8, std: 0.2) }

    static func requests(D: Int) -> [SynthesisRequest] {
        let prompt = (0..<(3 * D)).map { Float($0 % 5) * 0.1 }
        return [SynthesisRequest(textIDs: [3, 4, 5], promptSpeech: prompt, seed: 1, maxTokens: 6),
                SynthesisRequest(textIDs: [6, 7], promptSpeech: [], seed: 2, maxTokens: 4),
                SynthesisRequest(textIDs: [8, 9, 10, 11], promptSpeech: Array(prompt.prefix(D)), seed: 3, maxTokens: 5)]
    }

    /// The same seed gives the same tokens, bit for bit, alone or in a batch: a request draws its
    /// own noise, and every product of sampling goes through the few-row kernel, whose rows do
    /// not depend on each other (8 steps × 3 sequences × 2 puts 48 rows in the head's
    /// conditioning: computed in chunks of the kernel's 32).
    @Test func reproducibleAloneOrBatched() {
        let model = Self.model()
        let sampler = ARDMSampler(model: model, maxBatch: 3, capacity: 32)
        let options = SamplingOptions(steps: 8, stopThreshold: 2)   // never stop: compare full lengths
        let reqs = Self.requests(D: model.config.tokenWidth)
        let batched = sampler.generate(reqs, options: options)
        let again = sampler.generate(reqs, options: options)
        for r in reqs.indices {
            let alone = sampler.generate([reqs[r]], options: options)[0]
            #expect(alone.tokens.map(\.bitPattern) == batched[r].tokens.map(\.bitPattern), "request \(r) alone differs from batched")
            #expect(again[r].tokens.map(\.bitPattern) == batched[r].tokens.map(\.bitPattern))
            #expect(batched[r].tokenCount == reqs[r].maxTokens && !batched[r].stopped)
        }
        let other = sampler.generate([SynthesisRequest(textIDs: [3, 4, 5], promptSpeech: reqs[0].promptSpeech, seed: 99, maxTokens: 6)],
                                     options: options)[0]
        #expect(other.tokens != batched[0].tokens)
    }

    /// A session's output does not depend on what the sampler ran before it: the server keeps
    /// one three-branch sampler for requests of any voice scale, one session after another.
    @Test(arguments: [Float(1), 1.5, 2]) func reproducibleWhateverRanBefore(voiceScale: Float) {
        let model = Self.model()
        let reqs = Self.requests(D: model.config.tokenWidth)
        let options = SamplingOptions(steps: 8, stopThreshold: 2, voiceScale: voiceScale)
        func bits(_ results: [SynthesisResult]) -> [[UInt32]] { results.map { $0.tokens.map(\.bitPattern) } }
        let fresh = bits(ARDMSampler(model: model, maxBatch: 3, capacity: 32, branches: 3).generate(reqs, options: options))
        let sampler = ARDMSampler(model: model, maxBatch: 3, capacity: 32, branches: 3)
        for before in [Float(1), 1.5, 2] {
            _ = sampler.generate(Array(reqs.reversed()), options: SamplingOptions(steps: 8, stopThreshold: 2, voiceScale: before))
            #expect(bits(sampler.generate(reqs, options: options)) == fresh, "after voice scale \(before)")
        }
    }

    /// Sampling-time history noise touches only what the LM reads back: the first token of every
    /// request is the one sampled without it, the later ones differ, and a request still samples
    /// the same bits alone or in a batch (the noise comes from its own stream).
    @Test func historyNoiseReachesOnlyTheLMsInput() {
        let model = Self.model()
        let sampler = ARDMSampler(model: model, maxBatch: 3, capacity: 32)
        let D = model.config.tokenWidth, reqs = Self.requests(D: D)
        let clean = sampler.generate(reqs, options: SamplingOptions(steps: 4, stopThreshold: 2))
        let noisyOptions = SamplingOptions(steps: 4, stopThreshold: 2, historyNoise: 0.5)
        let noisy = sampler.generate(reqs, options: noisyOptions)
        for r in reqs.indices {
            #expect(noisy[r].tokens.prefix(D).map(\.bitPattern) == clean[r].tokens.prefix(D).map(\.bitPattern))
            #expect(noisy[r].tokens.dropFirst(D) != clean[r].tokens.dropFirst(D), "request \(r): noise changed nothing")
            let alone = sampler.generate([reqs[r]], options: noisyOptions)[0]
            #expect(alone.tokens.map(\.bitPattern) == noisy[r].tokens.map(\.bitPattern), "request \(r) alone differs from batched")
        }
    }

    /// A sampler kept across weight updates (as VGPO keeps its rollout sampler) samples what a
    /// fresh one does: the time MLP output it caches across tokens is recomputed when requests
    /// are admitted, not kept from before the update.
    @Test func reusedSamplerFollowsNewWeights() {
        let model = Self.model()
        let sampler = ARDMSampler(model: model, maxBatch: 1, capacity: 32)
        let options = SamplingOptions(steps: 4, stopThreshold: 2)
        let request = Self.requests(D: model.config.tokenWidth)[0]
        let before = sampler.generate([request], options: options)[0].tokens
        for i in 0..<model.params.values.count { model.params.values.base[i] *= 1.05 }
        let reused = sampler.generate([request], options: options)[0].tokens
        let fresh = ARDMSampler(model: model, maxBatch: 1, capacity: 32).generate([request], options: options)[0].tokens
        #expect(reused != before)
        #expect(reused.map(\.bitPattern) == fresh.map(\.bitPattern))
    }

    /// Continuous batching: a request that joins a running session after two tokens, and one
    /// cancelled half-way, leave the others' tokens as they are alone, bit for bit; the joiner's
    /// own tokens are its tokens alone.
    @Test func sequencesJoinAndLeaveBetweenTokens() {
        let model = Self.model()
        let sampler = ARDMSampler(model: model, maxBatch: 3, capacity: 32)
        let options = SamplingOptions(steps: 4, stopThreshold: 2)
        let reqs = Self.requests(D: model.config.tokenWidth)
        let alone = reqs.map { sampler.generate([$0], options: options)[0] }
        let session = SamplingSession(sampler: sampler, options: options)
        var results = [Int: SynthesisResult]()
        let first = session.admit(reqs[0]), doomed = session.admit(reqs[2])
        for _ in 0..<2 { for (slot, result) in session.step() { results[slot] = result } }
        session.cancel(slot: doomed)
        #expect(session.activeCount == 1 && session.hasRoom)
        let late = session.admit(reqs[1])
        #expect(late == doomed, "a cancelled sequence's slot is free at once")
        while session.activeCount > 0 { for (slot, result) in session.step() { results[slot] = result } }
        for (slot, r) in [(first, 0), (late, 1)] {
            #expect(results[slot]!.tokenCount == reqs[r].maxTokens)
            #expect(alone[r].tokens.map(\.bitPattern) == results[slot]!.tokens.map(\.bitPattern), "request \(r)")
        }
    }

    /// Sequences with an equal prefix share its cache (copied, not recomputed): best-of-K
    /// candidates, a request in the same voice (its text-dropped branch), one that joins after
    /// the others have decoded tokens, and one that takes back its own cancelled slot all sample
    /// the bits they sample alone.
    @Test func equalPrefixesAreCopiedExactly() {
        let model = Self.model()
        let sampler = ARDMSampler(model: model, maxBatch: 3, capacity: 32)
        let options = SamplingOptions(steps: 4, stopThreshold: 2)
        let request = Self.requests(D: model.config.tokenWidth)[0]
        func variant(seed: UInt64, text: [Int32]? = nil) -> SynthesisRequest {
            var r = request; r.seed = seed; r.textIDs = text ?? request.textIDs; return r
        }
        let reqs = [variant(seed: 1), variant(seed: 2), variant(seed: 3, text: [7, 8])]
        let alone = (reqs + [variant(seed: 4)]).map { sampler.generate([$0], options: options)[0].tokens.map(\.bitPattern) }
        #expect(sampler.generate(reqs, options: options).map { $0.tokens.map(\.bitPattern) } == Array(alone.prefix(3)))
        let session = SamplingSession(sampler: sampler, options: options)
        var results = [Int: SynthesisResult]()
        let first = session.admit(reqs[0]), doomed = session.admit(reqs[1])
        for _ in 0..<2 { for (slot, result) in session.step() { results[slot] = result } }
        session.cancel(slot: doomed)
        let again = session.admit(reqs[1]), late = session.admit(variant(seed: 4))
        #expect(again == doomed)
        while session.activeCount > 0 { for (slot, result) in session.step() { results[slot] = result } }
        for (slot, r) in [(first, 0), (again, 1), (late, 3)] {
            #expect(results[slot]!.tokens.map(\.bitPattern) == alone[r], "request \(r)")
        }
    }

    /// A guidance term enters as ε − g: a constant g shifts x̂₀ by σ_t·g/α_t at every step, so
    /// the tokens move along +g (g = λσ∇V moves samples up the value's gradient).
    final class ConstantGuidance: SamplingGuidance {
        let value: Float
        init(_ value: Float) { self.value = value }
        func admit(_ request: SynthesisRequest, slot: Int) {}
        func beginToken(times: [Float], sequences: [Int]) {}
        func epsilonCorrection(xt: UnsafePointer<Float>, step: Int, t: Float, sequences: [Int], into g: UnsafeMutablePointer<Float>) {
            g.update(repeating: value, count: sequences.count * 6)
        }
        func append(tokens: UnsafePointer<Float>, sequences: [Int]) {}
    }

    @Test func guidanceHookShiftsSamples() {
        let model = Self.model()
        let sampler = ARDMSampler(model: model, maxBatch: 1, capacity: 32)
        let options = SamplingOptions(steps: 8, stopThreshold: 2)
        let req = [Self.requests(D: model.config.tokenWidth)[1]]
        let plain = sampler.generate(req, options: options)[0].tokens
        let pushed = sampler.generate(req, options: options, guidance: ConstantGuidance(0.5))[0].tokens
        let mean = zip(pushed, plain).map { $0 - $1 }.reduce(0, +) / Float(plain.count)
        #expect(mean > 0.2, "mean shift \(mean)")
    }
}

@Suite struct TeacherForcingTests {
    /// A model fitted to a few sequences reproduces their target tokens when sampling each one
    /// from the true history (noise-free, no LM guidance): the rows it samples from are the ones
    /// training taught to predict those tokens.
    @Test func fittedModelReproducesTargets() {
        let model = ARDM(config: TinyModels.config(dropout: 0))
        model.initialize(seed: 5)
        let batch = TinyModels.examples(count: 4, D: model.config.tokenWidth)
        let ws = ARDMTrainingWorkspace(model: model, maxB: 4, maxT: 20, timesPerToken: 4)
        var rng = RNG(seed: 6)
        var optimizer = AdamW()
        for _ in 0..<400 {
            model.params.zeroGrads()
            _ = model.trainingStep(batch, ws, rng: &rng)
            clipGradientNorm(model.params, maxNorm: 1)
            optimizer.update(model.params, lr: 3e-3)
        }
        let D = model.config.tokenWidth
        var error: Float = 0, spread: Float = 0, count = 0
        for example in batch {
            let sampled = model.teacherForcedSample(example, options: SamplingOptions(steps: 16, cfg: 1, temperature: 0), seed: 1)
            let truth = Array(example.speech[(example.promptTokenCount * D)...])
            #expect(sampled.count == truth.count)
            let mean = truth.reduce(0, +) / Float(truth.count)
            for (s, t) in zip(sampled, truth) { error += (s - t) * (s - t); spread += (t - mean) * (t - mean); count += 1 }
        }
        #expect(error < 0.3 * spread, "teacher-forced error \(error / Float(count)) vs target variance \(spread / Float(count))")
    }
}

@Suite struct GuidanceSequenceTests {
    /// Teacher forcing on the sampler's own tokens gives those tokens back (noise-free, LM
    /// guidance on): both build the same sequence for every guidance branch, with the prompt
    /// speech in the text-dropped one (voice scale 1), without it (2), or both (1.5).
    @Test(arguments: [Float(1), 1.5, 2]) func teacherForcingReproducesTheSampler(voiceScale: Float) {
        let model = SamplerTests.model()
        let D = model.config.tokenWidth
        let request = SamplerTests.requests(D: D)[0]
        let options = SamplingOptions(steps: 8, cfg: 2, temperature: 0, stopThreshold: 2, voiceScale: voiceScale)
        let sampled = ARDMSampler(model: model, maxBatch: 1, capacity: 32, branches: 3).generate([request], options: options)[0].tokens
        let example = ARDMExample(textIDs: request.textIDs, speech: request.promptSpeech + sampled, auxiliaryTargets: [],
                                  promptTokenCount: request.promptSpeech.count / D)
        let forced = model.teacherForcedSample(example, options: options, seed: 1)
        #expect(forced.count == sampled.count)
        let worst = zip(forced, sampled).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-3, "largest difference \(worst)")
    }

    /// The branches' weights sum to 1 and a branch of weight 0 is left out.
    @Test func branchesFollowTheScales() {
        func branches(_ voiceScale: Float) -> [GuidanceBranch] { SamplingOptions(cfg: 2, voiceScale: voiceScale).guidanceBranches }
        for voiceScale in [Float(1), 1.5, 2] { #expect(branches(voiceScale).map(\.weight).reduce(0, +) == 1) }
        #expect(branches(1).map(\.weight) == [2, -1])
        #expect(branches(1).map(\.dropsText) == [false, true] && branches(1).map(\.dropsPrompt) == [false, false])
        #expect(branches(2).map(\.weight) == [2, -1])
        #expect(branches(2).map(\.dropsText) == [false, true] && branches(2).map(\.dropsPrompt) == [false, true])
        #expect(branches(1.5).map(\.dropsPrompt) == [false, false, true])
        #expect(branches(1.5).map(\.weight) == [2, -0.5, -0.5])
        #expect(SamplingOptions(cfg: 1).guidanceBranches.count == 1)
    }

    /// The third branch joins continuously: a voice scale next to 1 or to cfg (three branches,
    /// one weighted 0.001) samples nearly what 1 or cfg (two branches) does, far closer than 1
    /// and cfg are to each other, so every branch of every request reads its own sequence.
    @Test func voiceScaleIsContinuous() {
        let model = SamplerTests.model()
        let sampler = ARDMSampler(model: model, maxBatch: 2, capacity: 32, branches: 3)
        let all = SamplerTests.requests(D: model.config.tokenWidth), requests = [all[0], all[2]]   // both with a prompt
        func tokens(_ voiceScale: Float) -> [Float] {
            sampler.generate(requests, options: SamplingOptions(steps: 8, stopThreshold: 2, voiceScale: voiceScale))
                .flatMap(\.tokens)
        }
        func change(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { abs($0 - $1) }.max()! }
        let (one, two) = (tokens(1), tokens(2)), apart = change(one, two)
        #expect(apart > 1e-2, "largest change from 1 to 2: \(apart)")
        #expect(change(one, tokens(1.001)) < 0.05 * apart, "near 1: \(change(one, tokens(1.001))) against \(apart)")
        #expect(change(two, tokens(1.999)) < 0.05 * apart, "near 2: \(change(two, tokens(1.999))) against \(apart)")
    }
}
