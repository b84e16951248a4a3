/// A slab: one contiguous, 64-byte aligned Float32 buffer that owns its memory.
///
/// Parameters, gradients, optimizer moments and activations each live in a few slabs;
/// everything else is a named view (`base + offset`) into one of them (STYLE: "memory in a
/// few slabs with named views"). A slab is never resized: sizes are known up front from a
/// layout table, so no allocation happens inside training or decoding loops.
public final class Slab: @unchecked Sendable {
    public let count: Int
    public let base: UnsafeMutablePointer<Float>

    public init(count: Int) {
        precondition(count >= 0, "slab size must be non-negative")
        self.count = count
        // 64-byte alignment keeps AVX-512 loads aligned and lets BLAS pack without shuffling.
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
        base = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        base.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { base.deallocate() }

    public func zero() { base.update(repeating: 0, count: count) }

    /// A view of `count` floats starting at `offset`.
    @inline(__always)
    public func pointer(at offset: Int) -> UnsafeMutablePointer<Float> { base + offset }

    public var buffer: UnsafeMutableBufferPointer<Float> { .init(start: base, count: count) }

    public func toArray() -> [Float] { Array(buffer) }

    public func copy(from other: Slab) {
        precondition(other.count == count, "slab sizes differ: \(other.count) vs \(count)")
        base.update(from: other.base, count: count)
    }
}

public typealias FloatPointer = UnsafeMutablePointer<Float>
