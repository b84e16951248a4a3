import NN

/// A running batch of the sampler that sequences join and leave between tokens (continuous
/// batching): `admit` puts a request in a free slot, `step` generates one token for every
/// sequence in the batch and returns the ones that finished. Options and guidance are the
/// session's, shared by all its sequences. A sequence's output depends only on its request
/// (its own noise stream), never on when it joined or who else was in the batch.
///
/// One session at a time per sampler: it uses the sampler's KV cache and buffers.
public final class SamplingSession {
    public let sampler: ARDMSampler
    public let options: SamplingOptions
    let guidance: SamplingGuidance?
    /// LM guidance's sequences per request, fixed by the options: cache slots and head rows.
    let branches: [GuidanceBranch]

    /// A sequence in a slot: its request, noise stream and tokens so far.
    struct Sequence {
        let request: SynthesisRequest
        var tokens: [Float] = []
    }
    private var slots: [Sequence?]
    private var rngs: [RNG]
    /// The prefix last put in each cache slot during this session. The weights do not change
    /// within a session, so a slot with an equal prefix is copied instead of prefilled again:
    /// best-of-K candidates share both branches', requests in one voice the text-dropped one.
    private var prefixes: [Int: (textIDs: [Int32], promptSpeech: [Float])] = [:]

    public init(sampler: ARDMSampler, options: SamplingOptions, guidance: SamplingGuidance? = nil) {
        branches = options.guidanceBranches
        precondition(branches.count <= sampler.branches,
                     "voice scale \(options.voiceScale) needs a sampler with \(branches.count) guidance branches")
        self.sampler = sampler; self.options = options; self.guidance = guidance
        slots = Array(repeating: nil, count: sampler.maxBatch)
        rngs = Array(repeating: RNG(seed: 0), count: sampler.maxBatch)
    }

    public var activeCount: Int { slots.lazy.filter { $0 != nil }.count }
    public var hasRoom: Bool { slots.contains { $0 == nil } }

    /// Puts `request` in a free slot (a cache slot per guidance branch, prefilled or copied from
    /// an equal prefix; and the guide's) and returns the slot; it gets its first token at the
    /// next `step`.
    @discardableResult
    public func admit(_ request: SynthesisRequest) -> Int {
        guard let slot = slots.firstIndex(where: { $0 == nil }) else {
            preconditionFailure("the session's \(slots.count) slots are full")
        }
        for (b, branch) in branches.enumerated() {
            let prefix = branch.prefix(of: request), target = sampler.contextSlot(request: slot, branch: b)
            if let source = prefixes.first(where: { $0.value == prefix })?.key {
                sampler.context.copyPrefix(from: source, to: target)
            } else {
                sampler.context.prefill(slot: target, textIDs: prefix.textIDs, promptSpeech: prefix.promptSpeech)
            }
            prefixes[target] = prefix
        }
        guidance?.admit(request, slot: slot)
        sampler.tokenConditioning.parametersMayHaveChanged()
        slots[slot] = Sequence(request: request)
        rngs[slot] = RNG(seed: request.seed)
        return slot
    }

    /// Drops the sequence in `slot` (a request that was given up on); its slot is free at once.
    public func cancel(slot: Int) {
        slots[slot] = nil
    }

    /// Ends the sequences that are done (the stop head says so after at least one token, or the
    /// request's or the cache's room is used up) and returns them; then one token for the rest.
    public func step() -> [(slot: Int, result: SynthesisResult)] {
        let D = sampler.model.config.tokenWidth
        var finished: [(slot: Int, result: SynthesisResult)] = []
        var active: [Int] = []
        for (slot, sequence) in slots.enumerated() {
            guard let sequence else { continue }
            let conditional = sampler.contextSlot(request: slot, branch: 0)
            let stop = !sequence.tokens.isEmpty
                && fastSigmoid(sampler.model.stopLogit(sampler.context.state(conditional))) > options.stopThreshold
            let room = sequence.tokens.count / D < sequence.request.maxTokens && sampler.context.room[conditional] > 0
            if stop || !room {
                finished.append((slot, SynthesisResult(tokens: sequence.tokens, tokenCount: sequence.tokens.count / D, stopped: stop)))
                slots[slot] = nil
            } else {
                active.append(slot)
            }
        }
        guard !active.isEmpty else { return finished }
        sampler.denoiseToken(slots: active, options: options, weights: branches.map(\.weight), guidance: guidance, rngs: &rngs)
        for (i, slot) in active.enumerated() {
            slots[slot]!.tokens.append(contentsOf: UnsafeBufferPointer(start: sampler.x + i * D, count: D))
        }
        guidance?.append(tokens: sampler.x, sequences: active)
        if options.historyNoise > 0 { addHistoryNoise(active) }
        sampler.context.append(tokens: sampler.x, slotGroups: active.map { slot in
            branches.indices.map { sampler.contextSlot(request: slot, branch: $0) }
        })
        return finished
    }

    /// Noise on the tokens the LM is about to read, from each sequence's own stream; the clean
    /// tokens are already kept (and handed to the guide, whose value model read clean rollouts).
    private func addHistoryNoise(_ active: [Int]) {
        let D = sampler.model.config.tokenWidth
        for (i, slot) in active.enumerated() {
            for d in 0..<D { sampler.x[i * D + d] += options.historyNoise * rngs[slot].normal() }
        }
    }
}
