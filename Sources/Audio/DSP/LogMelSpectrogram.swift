/// Log-mel features, shape (T, M) row-major: T = 1 + N / hop frames, M = 80 mel bands.
public struct LogMel: Sendable, Equatable {
    public var frameCount: Int
    public var melCount: Int
    /// ln(max(mel magnitude, floor)), (T, M).
    public var values: [Float]

    public init(frameCount: Int, melCount: Int, values: [Float]) {
        precondition(values.count == frameCount * melCount)
        self.frameCount = frameCount
        self.melCount = melCount
        self.values = values
    }

    /// Frame t, (M,).
    public func frame(_ t: Int) -> ArraySlice<Float> { values[(t * melCount)..<((t + 1) * melCount)] }
}

/// Audio -> log-mel: |STFT| (magnitude, not power), Slaney mel filterbank, natural log with a floor.
///
///   logmel[t, m] = ln(max(Σ_k W[m, k] |X[t, k]|, floor))
public struct LogMelExtractor: Sendable {
    public let configuration: SpectralConfiguration
    public let stft: STFT
    public let filterbank: MelFilterbank

    public init(configuration: SpectralConfiguration = .standard) {
        self.configuration = configuration
        stft = STFT(configuration: configuration)
        filterbank = MelFilterbank(configuration: configuration)
    }

    /// `samples` must be at `configuration.sampleRate`.
    public func callAsFunction(_ samples: [Float]) -> LogMel {
        let spectrogram = stft.forward(samples)
        return logMel(magnitude: spectrogram.magnitude, frameCount: spectrogram.frameCount)
    }

    /// Log-mel of a linear magnitude spectrogram (T, F).
    public func logMel(magnitude: [Float], frameCount: Int) -> LogMel {
        var mel = filterbank.apply(magnitude, frameCount: frameCount)
        let floor = configuration.logFloor
        for i in mel.indices { mel[i] = logf(max(mel[i], floor)) }
        return LogMel(frameCount: frameCount, melCount: filterbank.melCount, values: mel)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
