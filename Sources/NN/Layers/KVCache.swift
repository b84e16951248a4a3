import CBLAS
import Foundation

/// Rotated keys and values of past positions, for every layer and for S sequence slots.
///
/// keys, values: (L, S, capacity, C). A slot is one sequence being decoded; sequences join
/// and leave a batch by taking and resetting slots, so batching never copies the cache.
public final class KVCache: @unchecked Sendable {
    public let layers: Int, slots: Int, capacity: Int, channels: Int
    let keys: Slab
    let values: Slab
    /// Positions already cached, per slot.
    public private(set) var lengths: [Int]
    /// Text positions at the start of each slot's sequence: what alignment heads of speech
    /// queries may attend (set by the caller before decoding; 0 = no restriction).
    public var textLengths: [Int]

    public init(layers: Int, slots: Int, capacity: Int, channels: Int) {
        self.layers = layers; self.slots = slots; self.capacity = capacity; self.channels = channels
        keys = Slab(count: layers * slots * capacity * channels)
        values = Slab(count: layers * slots * capacity * channels)
        lengths = Array(repeating: 0, count: slots)
        textLengths = Array(repeating: 0, count: slots)
    }

    @inline(__always)
    func keyRow(layer: Int, slot: Int, position: Int) -> FloatPointer {
        keys.base + ((layer * slots + slot) * capacity + position) * channels
    }

    @inline(__always)
    func valueRow(layer: Int, slot: Int, position: Int) -> FloatPointer {
        values.base + ((layer * slots + slot) * capacity + position) * channels
    }

    public func reset(slot: Int) { lengths[slot] = 0; textLengths[slot] = 0 }

    /// Makes slot `target` hold the first `count` cached positions of slot `source` and nothing
    /// after them: what prefilling it with the same prefix would store, without the forward pass.
    public func copyPrefix(from source: Int, to target: Int, count: Int) {
        precondition(count <= lengths[source], "slot \(source) holds \(lengths[source]) positions, not \(count)")
        if target != source {
            for l in 0..<layers {
                keyRow(layer: l, slot: target, position: 0).update(from: keyRow(layer: l, slot: source, position: 0), count: count * channels)
                valueRow(layer: l, slot: target, position: 0).update(from: valueRow(layer: l, slot: source, position: 0), count: count * channels)
            }
        }
        lengths[target] = count; textLengths[target] = textLengths[source]
    }

    /// Marks one more position cached in each slot (call once per token, after all layers).
    public func advance(slots rows: [Int], by n: Int = 1) {
        for s in rows {
            precondition(lengths[s] + n <= capacity, "KV cache slot \(s) is full (\(capacity) positions)")
            lengths[s] += n
        }
    }

    /// Stores T positions of a whole-sequence forward (rotated keys from `qk (T, 2C)`,
    /// values from `qkv (T, 3C)`) at the slot's current end. Used for prefill.
    public func store(layer: Int, slot: Int, qk: UnsafePointer<Float>, qkv: UnsafePointer<Float>, T: Int) {
        let C = channels, start = lengths[slot]
        precondition(start + T <= capacity, "KV cache slot \(slot) cannot hold \(start + T) positions")
        for t in 0..<T {
            keyRow(layer: layer, slot: slot, position: start + t).update(from: qk + t * 2 * C + C, count: C)
            valueRow(layer: layer, slot: slot, position: start + t).update(from: qkv + t * 3 * C + 2 * C, count: C)
        }
    }
}

/// One decoding step of causal attention for B sequences, each in its own cache slot.
///
///   qkv (B, 3C) projections of each sequence's newest token (q and k rotated here, in place)
///   out (B, C)
///   scores: scratch of `cache.capacity` floats
/// Writes the new key and value at the slot's current length and attends to all cached
/// positions including it; the caller advances the cache after the last layer.
/// The first `alignmentHeads` heads attend only the slot's text keys (`cache.textLengths`) when
/// that is set and the new position is past it (a speech query), as in training.
public func attentionDecodeForward(
    out: FloatPointer, qkv: FloatPointer, slots: [Int], positions: [Int32],
    cache: KVCache, layer: Int, rope: RoPETable, heads NH: Int, scores: FloatPointer, alignmentHeads: Int = 0
) {
    let C = cache.channels, hd = C / NH
    let scale = 1 / Float(hd).squareRoot()
    for (b, slot) in slots.enumerated() {
        let q = qkv + b * 3 * C, k = q + C, v = q + 2 * C
        for h in 0..<NH {
            rope.rotate(q + h * hd, position: Int(positions[b]))
            rope.rotate(k + h * hd, position: Int(positions[b]))
        }
        let n = cache.lengths[slot]
        precondition(n < cache.capacity, "KV cache slot \(slot) is full (\(cache.capacity) positions)")
        cache.keyRow(layer: layer, slot: slot, position: n).update(from: k, count: C)
        cache.valueRow(layer: layer, slot: slot, position: n).update(from: v, count: C)
        let keys = cache.keyRow(layer: layer, slot: slot, position: 0)
        let values = cache.valueRow(layer: layer, slot: slot, position: 0)
        let text = cache.textLengths[slot]
        for h in 0..<NH {
            let keysSeen = h < alignmentHeads && text > 0 && n >= text ? text : n + 1
            // scores (keysSeen) = scale · K_h (keysSeen, hd) · q_h
            BLASClock.timed {
                cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(keysSeen), Int32(hd), scale,
                            keys + h * hd, Int32(C), q + h * hd, 1, 0, scores, 1)
            }
            causalSoftmaxRow(scores, valid: keysSeen, width: keysSeen)
            // out_h (hd) = V_hᵀ (hd, keysSeen) · scores
            BLASClock.timed {
                cblas_sgemv(CblasRowMajor, CblasTrans, Int32(keysSeen), Int32(hd), 1,
                            values + h * hd, Int32(C), scores, 1, 0, out + b * C + h * hd, 1)
            }
        }
    }
}
