/// Parameters with their gradients and AdamW moments: four slabs sharing one `Layout`.
public final class ParameterSet: @unchecked Sendable {
    public let layout: Layout
    public let values: Slab
    public let grads: Slab
    /// AdamW first and second moments; allocated lazily so inference never pays for them.
    public private(set) lazy var firstMoment = Slab(count: layout.count)
    public private(set) lazy var secondMoment = Slab(count: layout.count)

    public init(layout: Layout) {
        self.layout = layout
        values = Slab(count: layout.count)
        grads = Slab(count: layout.count)
    }

    public var count: Int { layout.entries.reduce(0) { $0 + $1.count } }

    @inline(__always) public func value(_ name: String) -> FloatPointer { values.pointer(at: layout.offset(name)) }
    @inline(__always) public func grad(_ name: String) -> FloatPointer { grads.pointer(at: layout.offset(name)) }

    public func zeroGrads() { grads.zero() }

    /// Fills every parameter from `initializer(entry)` (e.g. normal(0, 0.02) for matrices, 1 for norms).
    public func initialize(_ rng: inout RNG, _ scheme: (Layout.Entry) -> Initialization) {
        for e in layout.entries {
            let p = values.pointer(at: e.offset)
            switch scheme(e) {
            case .constant(let c): p.update(repeating: c, count: e.count)
            case .normal(let std): rng.fillNormal(p, count: e.count, std: std)
            case .uniform(let bound): rng.fillUniform(p, count: e.count, low: -bound, high: bound)
            }
        }
    }

    public enum Initialization { case constant(Float), normal(std: Float), uniform(bound: Float) }
}
