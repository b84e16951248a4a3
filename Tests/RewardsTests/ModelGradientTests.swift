import Audio
import GradientChecking
import NN
import Rewards
import Testing

/// End-to-end gradient checks of the two reward models on tiny shapes, and the batching
/// invariance their padding masks promise.
@Suite struct ModelGradientTests {
    static let M = 6

    static func recognizer() -> CTCRecognizer {
        let config = RecognizerConfig(
            melBins: M, convolutions: [ConvolutionSpec(channels: 8, kernel: 3, stride: 2), ConvolutionSpec(channels: 8, kernel: 3, stride: 1)],
            encoder: TransformerConfig(channels: 8, layers: 2, heads: 2, mlp: .gelu, mlpHidden: 16, maxPositions: 64),
            classCount: 5, blank: 0, phonemeVocabularyVersion: 1, melStatistics: .identity(melCount: M))
        return CTCRecognizer(config: config, seed: 3)
    }

    static func speakerEncoder(classes: Int) -> SpeakerEncoder {
        let config = SpeakerEncoderConfig(melBins: M, convolutions: [ConvolutionSpec(channels: 8, kernel: 3, stride: 2),
                                                                     ConvolutionSpec(channels: 8, kernel: 3, stride: 1)],
                                          embeddingSize: 4, melStatistics: .identity(melCount: M))
        return SpeakerEncoder(config: config, classCount: classes, seed: 4)
    }

    /// Every tensor of the recogniser (convolutions, encoder, head) against finite differences
    /// of the batch CTC loss, with two utterances of different lengths.
    @Test func recognizerCTCGradients() {
        let model = Self.recognizer()
        // Larger weights than the GPT-2 init: the gradients of every tensor (norm gains too)
        // then stand well above Float32 rounding in the finite differences.
        var initRNG = RNG(seed: 39)
        model.params.initialize(&initRNG) { _ in .normal(std: 0.5) }
        let (B, T) = (2, 12)
        let acts = RecognizerActivations(model: model, maxB: B, maxT: T, maxRows: B * T)
        var rng = RNG(seed: 40)
        rng.fillNormal(acts.input, count: B * T * Self.M)
        let lengths: [Int32] = [12, 9]
        (acts.input + (1 * T + 9) * Self.M).update(repeating: 0, count: 3 * Self.M)
        let labels: [[Int32]] = [[1, 2, 2], [3, 4]]
        let loss = Slab(count: 1)
        let tensors = model.params.layout.entries.map {
            CheckedTensor(name: $0.name, value: model.params.values.pointer(at: $0.offset), grad: model.params.grads.pointer(at: $0.offset), count: $0.count)
        }
        checkGradients(tensors, output: loss.base, outputCount: 1, eps: 1e-2, tolerance: 2e-2, maxProbes: 12) {
            model.forward(acts, B: B, T: T, lengths: lengths)
            loss.base[0] = Float(model.loss(acts, labels: labels).perPhonemeNLL)
        } backward: { d in
            // The probe scales the loss by d[0]; backward produces ∂loss, so scale the grads after.
            model.params.zeroGrads()
            model.backward(acts)
            for i in 0..<model.params.grads.count { model.params.grads.base[i] *= d[0] }
        }
    }

    @Test func speakerMarginLossGradients() {
        let model = Self.speakerEncoder(classes: 3)
        let (B, T) = (3, 10)
        let acts = SpeakerActivations(model: model, maxB: B, maxRows: B * T)
        var rng = RNG(seed: 41)
        rng.fillNormal(acts.input, count: B * T * Self.M)
        let lengths: [Int32] = [10, 7, 5]
        let loss = Slab(count: 1)
        let tensors = model.params.layout.entries.map {
            CheckedTensor(name: $0.name, value: model.params.values.pointer(at: $0.offset), grad: model.params.grads.pointer(at: $0.offset), count: $0.count)
        }
        checkGradients(tensors, output: loss.base, outputCount: 1, eps: 1e-2, tolerance: 2e-2, maxProbes: 12) {
            model.forward(acts, B: B, T: T, lengths: lengths)
            loss.base[0] = model.loss(acts, targets: [0, 2, 1])
        } backward: { d in
            model.params.zeroGrads()
            model.backward(acts)
            for i in 0..<model.params.grads.count { model.params.grads.base[i] *= d[0] }
        }
    }

    /// An utterance gives the same logits alone as padded inside a batch with a longer one.
    @Test func recognizerOutputDoesNotDependOnBatchPadding() {
        let model = Self.recognizer()
        var rng = RNG(seed: 42)
        func mel(_ frames: Int) -> LogMel {
            LogMel(frameCount: frames, melCount: Self.M, values: (0..<(frames * Self.M)).map { _ in rng.normal() })
        }
        let short = mel(9), long = mel(20)
        let alone = model.recognize([short])[0]
        let together = model.recognize([long, short])[1]
        #expect(alone.frames == together.frames && alone.frames == 5)
        for i in alone.logits.indices { #expect(abs(alone.logits[i] - together.logits[i]) < 1e-4) }
        let e1 = Self.speakerEncoder(classes: 0).embeddings([short])[0]
        let e2 = Self.speakerEncoder(classes: 0).embeddings([long, short])[1]
        for i in e1.indices { #expect(abs(e1[i] - e2[i]) < 1e-4) }
    }
}
