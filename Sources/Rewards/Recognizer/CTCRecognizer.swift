import Foundation
import NN

/// The CTC phoneme recogniser (paper §4.2's likelihood reward and CER metric, DESIGN §8):
///
///   normalised log-mel (B, T, 80)
///   → convolutions + GELU (B, T', C)          T' = T / downsampling
///   → bidirectional transformer encoder (B, T', C)
///   → linear head: logits (B, T', V)            V = phoneme vocabulary, blank = <pad>
///
/// Trained with CTC on (mel, phoneme) pairs; `loss` is the mean over the batch of each
/// utterance's NLL divided by its phoneme count (the per-phoneme NLL the reward reports).
public final class CTCRecognizer: @unchecked Sendable {
    public let config: RecognizerConfig
    public let params: ParameterSet
    public let convolutions: ConvolutionStack
    public let encoder: TransformerEncoder
    let headWeight: Int, headBias: Int

    public init(config: RecognizerConfig, seed: UInt64) {
        precondition(config.convolutions.last?.channels == config.encoder.channels,
                     "the last convolution must output the encoder's \(config.encoder.channels) channels")
        self.config = config
        var layout = Layout()
        convolutions = ConvolutionStack(inputChannels: config.melBins, specs: config.convolutions, prefix: "conv.", layout: &layout)
        encoder = TransformerEncoder(config: config.encoder, prefix: "encoder.", layout: &layout)
        headWeight = layout.add("head.weight", [config.classCount, config.encoder.channels])
        headBias = layout.add("head.bias", [config.classCount], decays: false)
        params = ParameterSet(layout: layout)
        var rng = RNG(seed: seed)
        convolutions.initialize(params, &rng)
        encoder.initialize(params, &rng)
        rng.fillNormal(params.value("head.weight"), count: config.classCount * config.encoder.channels, std: 0.02)
    }

    /// Forward of the normalised mel already in `acts.input` (B, T, melBins), padding frames 0.
    /// Leaves logits (B, T', V) in `acts.logits` and each sequence's frames in `acts.outputLengths`.
    public func forward(_ acts: RecognizerActivations, B: Int, T: Int, lengths: [Int32]) {
        precondition(B <= acts.maxB && T <= acts.maxT && B * T <= acts.maxRows,
                     "batch \(B)x\(T) exceeds the activations (\(acts.maxB) utterances, \(acts.maxT) frames, \(acts.maxRows) in all)")
        let (C, V) = (config.encoder.channels, config.classCount)
        let valid = convolutions.forward(params, acts.convolution, inp: acts.input, B: B, T: T, lengths: lengths)
        let T2 = convolutions.outputLength(T)
        acts.B = B; acts.T = T; acts.outT = T2; acts.outputLengths = valid
        acts.encoder.input.update(from: acts.convolution.output, count: B * T2 * C)
        encoder.forward(params, acts.encoder, B: B, T: T2, lengths: valid)
        linearForward(out: acts.logits, inp: acts.encoder.output, weight: params.values.base + headWeight,
                      bias: params.values.base + headBias, N: B * T2, C: C, OC: V)
    }

    /// CTC loss of the last forward against `labels[b]` (spoken-phoneme ids): the mean of
    /// NLL_b / |labels_b| over the sequences that fit their frames. Saves the lattices.
    public func loss(_ acts: RecognizerActivations, labels: [[Int32]]) -> CTCBatchLoss {
        precondition(labels.count == acts.B, "one label sequence per batch item")
        let (T2, V) = (acts.outT, config.classCount)
        var lattices = [CTCLattice?](repeating: nil, count: acts.B)
        lattices.withUnsafeMutableBufferPointer { out in
            Parallel.forEachItem(acts.B) { b, _ in
                out[b] = ctcForward(logits: acts.logits + b * T2 * V, T: Int(acts.outputLengths[b]), V: V,
                                    labels: labels[b], blank: config.blank)
            }
        }
        acts.lattices = lattices.map { $0! }
        var sum = 0.0, feasible = 0
        for l in acts.lattices where l.isFeasible && !l.labels.isEmpty {
            sum += l.negativeLogLikelihood / Double(l.labels.count)
            feasible += 1
        }
        return CTCBatchLoss(perPhonemeNLL: feasible > 0 ? sum / Double(feasible) : 0, feasible: feasible, total: acts.B)
    }

    /// Backward of `loss`: accumulates every parameter's gradient.
    public func backward(_ acts: RecognizerActivations) {
        let (B, T2, C, V) = (acts.B, acts.outT, config.encoder.channels, config.classCount)
        let feasible = acts.lattices.filter { $0.isFeasible && !$0.labels.isEmpty }.count
        acts.dlogits.update(repeating: 0, count: B * T2 * V)
        guard feasible > 0 else { return }
        Parallel.forEachItem(B) { b, _ in
            let l = acts.lattices[b]
            guard l.isFeasible && !l.labels.isEmpty else { return }
            ctcBackward(dlogits: acts.dlogits + b * T2 * V, lattice: l, scale: 1 / Float(l.labels.count * feasible))
        }
        acts.dHidden.update(repeating: 0, count: B * T2 * C)
        linearBackward(dinp: acts.dHidden, dweight: params.grads.base + headWeight, dbias: params.grads.base + headBias,
                       dout: acts.dlogits, inp: acts.encoder.output, weight: params.values.base + headWeight,
                       N: B * T2, C: C, OC: V)
        encoder.backward(params, acts.encoder, dout: acts.dHidden)
        convolutions.backward(params, acts.convolution, dout: acts.encoder.inputGradient, dinp: nil)
    }
}

/// What `CTCRecognizer.loss` reports for a batch.
public struct CTCBatchLoss: Sendable {
    /// Mean per-phoneme NLL (nats) over the feasible sequences.
    public var perPhonemeNLL: Double
    /// Sequences whose labels fit their frames (the others are skipped, with no gradient).
    public var feasible: Int
    public var total: Int
}
