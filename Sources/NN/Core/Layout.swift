/// A table of named tensors with shapes, laid out back to back in one slab.
///
/// The same table drives the parameter, gradient and optimizer-moment slabs (all share
/// offsets) and the checkpoint format: safetensors files are written and checked against it.
public struct Layout: Sendable {
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let shape: [Int]
        public let offset: Int
        /// Whether AdamW applies weight decay: matrices yes; norms, biases, embeddings of
        /// scalars no (decaying a norm's gain toward 0 fights the normalisation).
        public let decays: Bool
        public var count: Int { shape.reduce(1, *) }
    }

    public private(set) var entries: [Entry] = []
    private var index: [String: Int] = [:]
    public private(set) var count = 0

    public init() {}

    /// Appends a tensor and returns its offset. Names must be unique.
    @discardableResult
    public mutating func add(_ name: String, _ shape: [Int], decays: Bool? = nil) -> Int {
        precondition(index[name] == nil, "duplicate tensor name \(name)")
        precondition(shape.allSatisfy { $0 > 0 }, "tensor \(name) has an empty dimension: \(shape)")
        let entry = Entry(name: name, shape: shape, offset: count, decays: decays ?? (shape.count >= 2))
        index[name] = entries.count
        entries.append(entry)
        // Keep every tensor 16-float (64-byte) aligned so views stay aligned.
        count += (entry.count + 15) / 16 * 16
        return entry.offset
    }

    public func entry(_ name: String) -> Entry? { index[name].map { entries[$0] } }

    public func offset(_ name: String) -> Int {
        guard let e = entry(name) else { preconditionFailure("no tensor named \(name)") }
        return e.offset
    }
}
