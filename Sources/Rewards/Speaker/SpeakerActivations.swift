import NN

/// Buffers of one speaker-encoder forward/backward: up to maxB utterances, maxRows mel frames
/// in all; `classCount` sizes the training head's buffers (0 for inference).
public final class SpeakerActivations: @unchecked Sendable {
    public let maxB: Int, maxRows: Int
    let slab: Slab
    /// Normalised log-mel input (B, T, melBins); the caller fills it, padding frames 0.
    public let input: FloatPointer
    let pooled: FloatPointer                 // (B, 2C)
    /// Embeddings (B, E) after `forward`.
    public let embedding: FloatPointer
    let unitEmbedding, embeddingNorms, unitClasses, classNorms: FloatPointer   // (B, E), (B), (K, E), (K)
    let cosines, logits, probs, dlogits: FloatPointer                        // (B, K) each
    let dUnitEmbedding, dEmbedding, dUnitClasses, dPooled: FloatPointer
    let dConvolutionOutput: FloatPointer     // (B, T', C)
    let convolution: ConvolutionActivations
    var targets: [Int32] = []
    var outputLengths: [Int32] = []
    var B = 0, T = 0, outT = 0

    public init(model: SpeakerEncoder, maxB: Int, maxRows: Int) {
        let c = model.config
        let (C, E, K) = (model.convolutions.outputChannels, c.embeddingSize, max(model.classCount, 1))
        let rowsOut = maxRows / c.convolutions.reduce(1) { $0 * $1.stride } + c.convolutions.count * maxB
        self.maxB = maxB; self.maxRows = maxRows
        var layout = Layout()
        let sizes: [(String, Int)] = [
            ("input", maxRows * c.melBins), ("pooled", maxB * 2 * C), ("embedding", maxB * E),
            ("unitEmbedding", maxB * E), ("embeddingNorms", maxB), ("unitClasses", K * E), ("classNorms", K),
            ("cosines", maxB * K), ("logits", maxB * K), ("probs", maxB * K), ("dlogits", maxB * K),
            ("dUnitEmbedding", maxB * E), ("dEmbedding", maxB * E), ("dUnitClasses", K * E), ("dPooled", maxB * 2 * C),
            ("dConvolutionOutput", rowsOut * C),
        ]
        for (name, count) in sizes { layout.add(name, [count]) }
        let slab = Slab(count: layout.count)
        func view(_ name: String) -> FloatPointer { slab.pointer(at: layout.offset(name)) }
        self.slab = slab
        input = view("input"); pooled = view("pooled"); embedding = view("embedding")
        unitEmbedding = view("unitEmbedding"); embeddingNorms = view("embeddingNorms")
        unitClasses = view("unitClasses"); classNorms = view("classNorms")
        cosines = view("cosines"); logits = view("logits"); probs = view("probs"); dlogits = view("dlogits")
        dUnitEmbedding = view("dUnitEmbedding"); dEmbedding = view("dEmbedding"); dUnitClasses = view("dUnitClasses")
        dPooled = view("dPooled"); dConvolutionOutput = view("dConvolutionOutput")
        convolution = ConvolutionActivations(stack: model.convolutions, maxB: maxB, maxRows: maxRows)
    }
}
