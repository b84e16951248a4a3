import Audio
import Foundation
import NN

extension SpeakerEncoder {
    public static let inferenceBatch = 8

    public func logMel(ofAudio samples: [Float]) -> LogMel { LogMelExtractor(configuration: config.spectral)(samples) }

    /// Unit-length embeddings (E) of raw log-mels, batched internally. Clips shorter than a
    /// kernel are padded with silence.
    public func embeddings(_ mels: [LogMel]) -> [[Float]] {
        let (M, E) = (config.melBins, config.embeddingSize)
        let (mean, std) = (config.melStatistics.mean, config.melStatistics.std)
        let silence = logf(config.spectral.logFloor)
        var result: [[Float]] = []
        for start in stride(from: 0, to: mels.count, by: Self.inferenceBatch) {
            let chunk = mels[start..<min(mels.count, start + Self.inferenceBatch)]
            let T = max(chunk.map(\.frameCount).max()!, config.minimumMelFrames)
            let acts = SpeakerActivations(model: self, maxB: chunk.count, maxRows: chunk.count * T)
            acts.input.update(repeating: 0, count: chunk.count * T * M)
            var lengths: [Int32] = []
            for (b, mel) in chunk.enumerated() {
                let n = max(mel.frameCount, config.minimumMelFrames)
                for t in 0..<n {
                    for m in 0..<M {
                        let v = t < mel.frameCount ? mel.values[t * M + m] : silence
                        acts.input[(b * T + t) * M + m] = (v - mean[m]) / std[m]
                    }
                }
                lengths.append(Int32(n))
            }
            forward(acts, B: chunk.count, T: T, lengths: lengths)
            for b in 0..<chunk.count {
                result.append(Self.unit(Array(UnsafeBufferPointer(start: acts.embedding + b * E, count: E))))
            }
        }
        return result
    }

    static func unit(_ v: [Float]) -> [Float] {
        let norm = max(v.reduce(0) { $0 + $1 * $1 }.squareRoot(), l2NormalizeFloor)
        return v.map { $0 / norm }
    }
}

/// Cosine similarity of two embeddings, in [−1, 1].
public func cosineSimilarity(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count, "embeddings of different sizes")
    var dot = 0.0, na = 0.0, nb = 0.0
    for i in a.indices { dot += Double(a[i] * b[i]); na += Double(a[i] * a[i]); nb += Double(b[i] * b[i]) }
    return dot / max((na * nb).squareRoot(), 1e-12)
}
