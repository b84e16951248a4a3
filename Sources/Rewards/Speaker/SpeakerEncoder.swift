import Foundation
import NN

/// The speaker encoder behind SIM (DESIGN §8), an x-vector-style network:
///
///   normalised log-mel (B, T, 80)
///   → convolutions + GELU (B, T', C)
///   → statistics pooling over each utterance's frames: [mean | std] (B, 2C)
///   → linear: embedding e (B, E)
///
/// SIM of two clips is the cosine of their embeddings. Training (over the corpus's seen voices)
/// adds a classifier on the unit sphere with an additive cosine margin (CosFace / AM-softmax):
///
///   logits[b, k] = s · (cos(ê_b, Ŵ_k) − m·[k = y_b]),   ê = e/‖e‖, Ŵ_k = W_k/‖W_k‖
///
/// with softmax cross-entropy. The margin forces each voice's embeddings into a tight cone,
/// which is what makes the cosine meaningful for voices never seen in training. The
/// classifier's tensors come last in the layout, so the shipped file simply leaves them out.
public final class SpeakerEncoder: @unchecked Sendable {
    public let config: SpeakerEncoderConfig
    public let classCount: Int
    public let params: ParameterSet
    public let convolutions: ConvolutionStack
    let projectionWeight: Int, projectionBias: Int
    let classWeight: Int?
    /// Cosine scale s and additive margin m of the training loss.
    public static let marginScale: Float = 30, margin: Float = 0.2
    static let classifierName = "classifier.weight"

    /// `classCount` 0 builds the inference model (no classifier).
    public init(config: SpeakerEncoderConfig, classCount: Int = 0, seed: UInt64) {
        self.config = config
        self.classCount = classCount
        var layout = Layout()
        convolutions = ConvolutionStack(inputChannels: config.melBins, specs: config.convolutions, prefix: "conv.", layout: &layout)
        let pooled = 2 * convolutions.outputChannels
        projectionWeight = layout.add("embedding.weight", [config.embeddingSize, pooled])
        projectionBias = layout.add("embedding.bias", [config.embeddingSize], decays: false)
        // Class centres are directions only (normalised in the loss): decay would just shrink them.
        classWeight = classCount > 0 ? layout.add(Self.classifierName, [classCount, config.embeddingSize], decays: false) : nil
        params = ParameterSet(layout: layout)
        var rng = RNG(seed: seed)
        convolutions.initialize(params, &rng)
        rng.fillNormal(params.value("embedding.weight"), count: config.embeddingSize * pooled, std: 1 / Float(pooled).squareRoot())
        if let classWeight { rng.fillNormal(params.values.pointer(at: classWeight), count: classCount * config.embeddingSize) }
    }

    /// Embeddings (B, E) of the normalised mel in `acts.input` (B, T, melBins), into `acts.embedding`.
    public func forward(_ acts: SpeakerActivations, B: Int, T: Int, lengths: [Int32]) {
        let C = convolutions.outputChannels
        let valid = convolutions.forward(params, acts.convolution, inp: acts.input, B: B, T: T, lengths: lengths)
        let T2 = convolutions.outputLength(T)
        acts.B = B; acts.T = T; acts.outT = T2; acts.outputLengths = valid
        valid.withUnsafeBufferPointer {
            statisticsPoolingForward(out: acts.pooled, inp: acts.convolution.output, lengths: $0.baseAddress!, B: B, T: T2, C: C)
        }
        linearForward(out: acts.embedding, inp: acts.pooled, weight: params.values.base + projectionWeight,
                      bias: params.values.base + projectionBias, N: B, C: 2 * C, OC: config.embeddingSize)
    }

    /// The additive-margin softmax loss of the last forward against voice classes `targets (B)`.
    public func loss(_ acts: SpeakerActivations, targets: [Int32]) -> Float {
        guard let classWeight else { preconditionFailure("the inference speaker encoder has no classifier") }
        let (B, E, K) = (acts.B, config.embeddingSize, classCount)
        l2NormalizeForward(out: acts.unitEmbedding, norms: acts.embeddingNorms, inp: acts.embedding, N: B, C: E)
        l2NormalizeForward(out: acts.unitClasses, norms: acts.classNorms, inp: params.values.base + classWeight, N: K, C: E)
        // cosines (B, K) = ê (B, E) · Ŵᵀ (E, K)
        matmul(acts.cosines, acts.unitEmbedding, acts.unitClasses, M: B, N: K, K: E, transB: true)
        for b in 0..<B {
            for k in 0..<K { acts.logits[b * K + k] = Self.marginScale * acts.cosines[b * K + k] }
            acts.logits[b * K + Int(targets[b])] -= Self.marginScale * Self.margin
        }
        acts.targets = targets
        return targets.withUnsafeBufferPointer {
            softmaxCrossEntropyForward(probs: acts.probs, logits: acts.logits, targets: $0.baseAddress!, N: B, V: K)
        }
    }

    /// Backward of `loss`; accumulates every parameter's gradient.
    public func backward(_ acts: SpeakerActivations) {
        guard let classWeight else { preconditionFailure("the inference speaker encoder has no classifier") }
        let (B, E, K, C) = (acts.B, config.embeddingSize, classCount, convolutions.outputChannels)
        let g = params.grads.base, w = params.values.base
        acts.dlogits.update(repeating: 0, count: B * K)
        acts.targets.withUnsafeBufferPointer {
            softmaxCrossEntropyBackward(dlogits: acts.dlogits, probs: acts.probs, targets: $0.baseAddress!, N: B, V: K, scale: Self.marginScale)
        }
        // dlogits now holds s·∂L/∂logits = ∂L/∂cos. dê (B, E) = dcos · Ŵ ; dŴ (K, E) = dcosᵀ · ê
        matmul(acts.dUnitEmbedding, acts.dlogits, acts.unitClasses, M: B, N: E, K: K)
        matmul(acts.dUnitClasses, acts.dlogits, acts.unitEmbedding, M: K, N: E, K: B, transA: true)
        l2NormalizeBackward(dinp: g + classWeight, dout: acts.dUnitClasses, out: acts.unitClasses, norms: acts.classNorms, N: K, C: E)
        acts.dEmbedding.update(repeating: 0, count: B * E)
        l2NormalizeBackward(dinp: acts.dEmbedding, dout: acts.dUnitEmbedding, out: acts.unitEmbedding, norms: acts.embeddingNorms, N: B, C: E)
        acts.dPooled.update(repeating: 0, count: B * 2 * C)
        linearBackward(dinp: acts.dPooled, dweight: g + projectionWeight, dbias: g + projectionBias, dout: acts.dEmbedding,
                       inp: acts.pooled, weight: w + projectionWeight, N: B, C: 2 * C, OC: E)
        acts.dConvolutionOutput.update(repeating: 0, count: B * acts.outT * C)
        acts.outputLengths.withUnsafeBufferPointer {
            statisticsPoolingBackward(dinp: acts.dConvolutionOutput, dout: acts.dPooled, out: acts.pooled,
                                      inp: acts.convolution.output, lengths: $0.baseAddress!, B: B, T: acts.outT, C: C)
        }
        convolutions.backward(params, acts.convolution, dout: acts.dConvolutionOutput, dinp: nil)
    }
}
