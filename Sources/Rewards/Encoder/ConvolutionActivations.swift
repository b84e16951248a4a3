import NN

/// Saved activations of a `ConvolutionStack` for batches of up to maxB sequences and maxRows
/// input frames in all (B·T ≤ maxRows). Per layer i with Tᵢ₊₁ output frames and Cᵢ₊₁ channels:
///   columns (B·Tᵢ₊₁, K·Cᵢ)  the im2col buffer
///   pre, post (B, Tᵢ₊₁, Cᵢ₊₁)  before and after the GELU; post is the next layer's input
///   dpre, dpost (B, Tᵢ₊₁, Cᵢ₊₁)  their gradients
public final class ConvolutionActivations: @unchecked Sendable {
    public let maxB: Int, maxRows: Int
    let slab: Slab
    let layers: [LayerViews]
    /// The im2col gradient scratch, sized for the largest layer.
    let columnScratch: FloatPointer
    var B = 0
    var inputFrames: [Int]
    var outputLengths: [[Int32]]

    struct LayerViews { let columns, pre, post, dpre, dpost: FloatPointer }

    public init(stack: ConvolutionStack, maxB: Int, maxRows: Int) {
        self.maxB = maxB; self.maxRows = maxRows
        var layout = Layout()
        var rows = maxRows
        var largestColumns = 1
        for (i, s) in stack.specs.enumerated() {
            // Each sequence gives at most T/stride + 1 output frames (padding ≤ kernel/2).
            rows = rows / s.stride + maxB
            let columns = rows * s.kernel * stack.channels(into: i)
            layout.add("\(i).columns", [columns])
            for name in ["pre", "post", "dpre", "dpost"] { layout.add("\(i).\(name)", [rows * s.channels]) }
            largestColumns = max(largestColumns, columns)
        }
        layout.add("columnScratch", [largestColumns])
        let slab = Slab(count: layout.count)
        func view(_ name: String) -> FloatPointer { slab.pointer(at: layout.offset(name)) }
        self.slab = slab
        layers = stack.specs.indices.map { i in
            LayerViews(columns: view("\(i).columns"), pre: view("\(i).pre"), post: view("\(i).post"),
                       dpre: view("\(i).dpre"), dpost: view("\(i).dpost"))
        }
        columnScratch = view("columnScratch")
        inputFrames = Array(repeating: 0, count: stack.specs.count)
        outputLengths = Array(repeating: [], count: stack.specs.count)
    }

    /// The last layer's output (B, T_L, C_L) after `forward`.
    public var output: FloatPointer { layers.last!.post }
}
