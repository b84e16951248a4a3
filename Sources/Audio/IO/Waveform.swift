/// Mono audio: samples in [-1, 1] (nominally) at a given rate.
public struct Waveform: Sendable, Equatable {
    /// Samples, shape (N,).
    public var samples: [Float]
    /// Samples per second, Hz.
    public var sampleRate: Int

    public init(samples: [Float], sampleRate: Int) {
        self.samples = samples
        self.sampleRate = sampleRate
    }

    /// Length in seconds.
    public var duration: Double { Double(samples.count) / Double(sampleRate) }
}
