/// Hyperparameters of a pre-norm causal transformer (RMSNorm, RoPE, GELU or SwiGLU MLP, no biases).
public struct TransformerConfig: Codable, Sendable, Equatable {
    public enum MLPKind: String, Codable, Sendable { case gelu, swiglu }

    public var channels: Int
    public var layers: Int
    public var heads: Int
    public var mlp: MLPKind
    /// Width of the MLP's hidden layer (4C for GELU; about 8C/3 for SwiGLU keeps the size equal).
    public var mlpHidden: Int
    public var maxPositions: Int
    public var ropeBase: Float
    /// Layers whose first head is an alignment head (speech queries attend text keys only).
    public var alignmentLayers: [Int]?

    public init(channels: Int, layers: Int, heads: Int, mlp: MLPKind = .gelu, mlpHidden: Int? = nil,
                maxPositions: Int = 2048, ropeBase: Float = 10_000, alignmentLayers: [Int]? = nil) {
        self.channels = channels; self.layers = layers; self.heads = heads; self.mlp = mlp
        self.mlpHidden = mlpHidden ?? 4 * channels
        self.maxPositions = maxPositions; self.ropeBase = ropeBase; self.alignmentLayers = alignmentLayers
    }

    /// Number of alignment heads in layer l (0 or 1).
    func alignmentHeads(layer l: Int) -> Int { alignmentLayers?.contains(l) == true ? 1 : 0 }

    /// Output width of the MLP's first Linear: SwiGLU computes gate and value in one GEMM.
    var mlpInner: Int { mlp == .swiglu ? 2 * mlpHidden : mlpHidden }
}
