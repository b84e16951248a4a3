import NN

/// Buffers of one recogniser forward/backward for batches of up to maxB utterances, maxT mel
/// frames each and maxRows mel frames in all (B·T ≤ maxRows).
public final class RecognizerActivations: @unchecked Sendable {
    public let maxB: Int, maxT: Int, maxRows: Int
    let slab: Slab
    /// Normalised log-mel input (B, T, melBins); the caller fills it, padding frames 0.
    public let input: FloatPointer
    /// Logits (B, T', V) after `forward`.
    public let logits: FloatPointer
    let dlogits: FloatPointer           // (B, T', V)
    let dHidden: FloatPointer           // (B, T', C): gradient w.r.t. the encoder output
    let convolution: ConvolutionActivations
    let encoder: EncoderActivations
    var lattices: [CTCLattice] = []
    public internal(set) var B = 0, T = 0, outT = 0
    /// Valid encoder frames per sequence after `forward`.
    public internal(set) var outputLengths: [Int32] = []

    public init(model: CTCRecognizer, maxB: Int, maxT: Int, maxRows: Int) {
        let c = model.config
        let maxT2 = model.convolutions.outputLength(maxT)
        // Encoder rows: each sequence's T frames give at most T/downsampling + 1 per layer.
        let rows2 = maxRows / c.downsampling + c.convolutions.count * maxB
        self.maxB = maxB; self.maxT = maxT; self.maxRows = maxRows
        var layout = Layout()
        layout.add("input", [maxRows * c.melBins])
        layout.add("logits", [rows2 * c.classCount])
        layout.add("dlogits", [rows2 * c.classCount])
        layout.add("dHidden", [rows2 * c.encoder.channels])
        slab = Slab(count: layout.count)
        input = slab.pointer(at: layout.offset("input"))
        logits = slab.pointer(at: layout.offset("logits"))
        dlogits = slab.pointer(at: layout.offset("dlogits"))
        dHidden = slab.pointer(at: layout.offset("dHidden"))
        convolution = ConvolutionActivations(stack: model.convolutions, maxB: maxB, maxRows: maxRows)
        encoder = EncoderActivations(config: c.encoder, maxRows: rows2, maxT: maxT2)
    }

    /// Logits of sequence b, (outputLengths[b], V) with row stride V.
    public func logits(of b: Int, classCount V: Int) -> UnsafePointer<Float> { UnsafePointer(logits + b * outT * V) }
}
