import Audio
import Foundation
import NN

/// The recogniser's per-frame output for one utterance: logits (frames, V).
public struct RecognizerOutput: Sendable {
    public let frames: Int
    public let classCount: Int
    public let blank: Int32
    public let logits: [Float]

    /// −ln p(labels | audio) by the CTC forward algorithm; +∞ if the labels cannot fit.
    public func negativeLogLikelihood(labels: [Int32]) -> Double {
        logits.withUnsafeBufferPointer {
            ctcForward(logits: $0.baseAddress!, T: frames, V: classCount, labels: labels, blank: blank).negativeLogLikelihood
        }
    }

    /// Each frame's share of ln p(labels | audio) (`ctcFrameShares`); empty if the labels cannot fit.
    public func frameShares(labels: [Int32]) -> [Double] {
        logits.withUnsafeBufferPointer {
            ctcFrameShares(lattice: ctcForward(logits: $0.baseAddress!, T: frames, V: classCount, labels: labels, blank: blank))
        }
    }

    /// Greedy (best-path) transcription: spoken-phoneme ids.
    public func greedyLabels() -> [Int32] {
        logits.withUnsafeBufferPointer { ctcGreedyDecode(logits: $0.baseAddress!, T: frames, V: classCount, blank: blank) }
    }
}

extension CTCRecognizer {
    /// Utterances per forward when scoring many (bounds the activations' memory).
    public static let inferenceBatch = 8

    /// Log-mel of 16 kHz audio with the model's own front end.
    public func logMel(ofAudio samples: [Float]) -> LogMel {
        LogMelExtractor(configuration: config.spectral)(samples)
    }

    /// Writes the normalised log-mels of a batch into `acts.input` (B, T, melBins), T the
    /// longest, zeros after each utterance's end; returns T and the lengths.
    func fillInput(_ acts: RecognizerActivations, _ mels: [LogMel]) -> (T: Int, lengths: [Int32]) {
        let M = config.melBins
        let T = mels.map(\.frameCount).max() ?? 0
        acts.input.update(repeating: 0, count: mels.count * T * M)
        let (mean, std) = (config.melStatistics.mean, config.melStatistics.std)
        for (b, mel) in mels.enumerated() {
            precondition(mel.melCount == M, "the recogniser reads \(M) mel bins, got \(mel.melCount)")
            let dst = acts.input + b * T * M
            for t in 0..<mel.frameCount {
                for m in 0..<M { dst[t * M + m] = (mel.values[t * M + m] - mean[m]) / std[m] }
            }
        }
        return (T, mels.map { Int32($0.frameCount) })
    }

    /// Per-frame logits of each utterance (raw, un-normalised log-mel in), batched internally.
    /// Clips shorter than a kernel are padded with silence (the log floor). Each call allocates
    /// its own activations and only reads the weights, so concurrent calls are safe.
    public func recognize(_ mels: [LogMel]) -> [RecognizerOutput] {
        var outputs: [RecognizerOutput] = []
        let minimumFrames = config.convolutions.map(\.kernel).max() ?? 1
        let silence = logf(config.spectral.logFloor)
        for start in stride(from: 0, to: mels.count, by: Self.inferenceBatch) {
            // Pad very short clips up to a kernel so every layer has at least one frame.
            let chunk = mels[start..<min(mels.count, start + Self.inferenceBatch)].map { mel -> LogMel in
                guard mel.frameCount < minimumFrames else { return mel }
                var padded = mel
                padded.values += [Float](repeating: silence, count: (minimumFrames - mel.frameCount) * mel.melCount)
                padded.frameCount = minimumFrames
                return padded
            }
            let maxT = chunk.map(\.frameCount).max()!
            precondition(maxT <= config.maximumMelFrames, "audio of \(maxT) frames exceeds the recogniser's \(config.maximumMelFrames)")
            let acts = RecognizerActivations(model: self, maxB: chunk.count, maxT: maxT, maxRows: chunk.count * maxT)
            let (T, lengths) = fillInput(acts, chunk)
            forward(acts, B: chunk.count, T: T, lengths: lengths)
            let V = config.classCount
            for b in 0..<chunk.count {
                let n = Int(acts.outputLengths[b])
                outputs.append(RecognizerOutput(frames: n, classCount: V, blank: config.blank,
                                                logits: Array(UnsafeBufferPointer(start: acts.logits(of: b, classCount: V), count: n * V))))
            }
        }
        return outputs
    }
}
