import NN

/// The LM side of autoregressive sampling: a KV cache of `slots` sequences and the latest
/// hidden state of each. A slot is filled by `prefill` (`[BOS] text [SEP] prompt-speech`), or
/// by `copyPrefix` from a slot filled with the same prefix, and grows by one speech token per
/// `append`. The sampler keeps two slots per request (with and without text, for LM guidance);
/// a value model guiding it keeps one slot per request of its own, so its context follows the
/// same tokens through its own weights.
public final class ContextDecoder: @unchecked Sendable {
    public let model: ARDM
    public let slots: Int
    /// Positions per slot: text + prompt speech + generated tokens.
    public let capacity: Int
    let cache: KVCache
    let decode: DecodeWorkspace
    let prefillActs: TransformerActivations
    let slab: Slab
    /// (slots, C): each slot's hidden state after its latest position, what the heads read.
    public let states: FloatPointer
    /// (slots, C): each slot's hidden state after its prefix, kept for `copyPrefix`.
    let prefixStates: FloatPointer
    /// Each slot's prefix: positions, and speech tokens among them.
    private var prefixLengths: [Int], prefixSpeechTokens: [Int]
    let projected, prompt: FloatPointer   // (capacity, C), (capacity, D)
    /// The RoPE position of each slot's next speech token.
    private var nextSpeechPosition: [Int32]
    /// Positions each slot may still take.
    public private(set) var room: [Int]

    public init(model: ARDM, slots: Int, capacity: Int) {
        self.model = model; self.slots = slots; self.capacity = capacity
        let C = model.config.lm.channels, D = model.config.tokenWidth
        cache = model.lm.makeCache(slots: slots, capacity: capacity)
        decode = DecodeWorkspace(config: model.config.lm, maxB: slots, cacheCapacity: capacity)
        prefillActs = TransformerActivations(config: model.config.lm, maxB: 1, maxT: capacity)
        var layout = Layout()
        layout.add("states", [slots, C]); layout.add("prefixStates", [slots, C])
        layout.add("projected", [capacity, C]); layout.add("prompt", [capacity, D])
        let slab = Slab(count: layout.count)
        self.slab = slab
        states = slab.pointer(at: layout.offset("states"))
        prefixStates = slab.pointer(at: layout.offset("prefixStates"))
        projected = slab.pointer(at: layout.offset("projected"))
        prompt = slab.pointer(at: layout.offset("prompt"))
        nextSpeechPosition = Array(repeating: 0, count: slots)
        room = Array(repeating: 0, count: slots)
        prefixLengths = Array(repeating: 0, count: slots)
        prefixSpeechTokens = Array(repeating: 0, count: slots)
    }

    @inline(__always) public func state(_ slot: Int) -> FloatPointer { states + slot * model.config.lm.channels }

    /// Runs `[BOS] textIDs [SEP] promptSpeech` through the LM into `slot`.
    /// `promptSpeech` is (S, D) normalised tokens; the text and speech count positions apart.
    public func prefill(slot: Int, textIDs: [Int32], promptSpeech: [Float]) {
        let C = model.config.lm.channels, D = model.config.tokenWidth
        let w = model.params.values.base
        let text = [model.config.bosID] + textIDs + [model.config.sepID]
        let S = promptSpeech.count / D, L = text.count, T = L + S
        precondition(T < capacity, "prefix of \(T) positions does not fit the decoder's \(capacity)")
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
        state(slot).update(from: prefillActs.output + (T - 1) * C, count: C)
        (prefixStates + slot * C).update(from: state(slot), count: C)
        prefixLengths[slot] = T; prefixSpeechTokens[slot] = S
        nextSpeechPosition[slot] = Int32(S)
        room[slot] = capacity - T
    }

    /// Puts in `slot` exactly what `prefill` with `source`'s last prefix would, by copying it
    /// (`source` may have decoded tokens since). The caller vouches that the weights have not
    /// changed since `source` was filled.
    public func copyPrefix(from source: Int, to slot: Int) {
        let C = model.config.lm.channels, T = prefixLengths[source]
        cache.copyPrefix(from: source, to: slot, count: T)
        state(slot).update(from: prefixStates + source * C, count: C)
        (prefixStates + slot * C).update(from: prefixStates + source * C, count: C)
        prefixLengths[slot] = T; prefixSpeechTokens[slot] = prefixSpeechTokens[source]
        nextSpeechPosition[slot] = Int32(prefixSpeechTokens[source])
        room[slot] = capacity - T
    }

    /// Feeds token i of `tokens (n, D)` to every slot in `slotGroups[i]` (one LM step for all of
    /// them together) and updates those slots' states.
    public func append(tokens: UnsafePointer<Float>, slotGroups: [[Int]]) {
        let C = model.config.lm.channels, D = model.config.tokenWidth, n = slotGroups.count
        let w = model.params.values.base
        linearForward(out: projected, inp: tokens, weight: w + model.speechInW, bias: w + model.speechInB, N: n, C: D, OC: C)
        var rows: [Int] = [], positions: [Int32] = []
        for (i, group) in slotGroups.enumerated() {
            for slot in group {
                precondition(room[slot] > 0, "decoder slot \(slot) is full (\(capacity) positions)")
                (decode.input + rows.count * C).update(from: projected + i * C, count: C)
                rows.append(slot); positions.append(nextSpeechPosition[slot])
                nextSpeechPosition[slot] += 1; room[slot] -= 1
            }
        }
        model.lm.decodeStep(model.params, decode, cache: cache, slots: rows, positions: positions)
        for (b, slot) in rows.enumerated() { state(slot).update(from: decode.output + b * C, count: C) }
    }
}
