/// Framing of the acoustic features (DESIGN §4): 16 kHz, n_fft 1024 (64 ms), hop 256 (16 ms,
/// 62.5 frames/s), 80 Slaney mel bands from 0 Hz to Nyquist. Stored in checkpoints, so Codable.
public struct SpectralConfiguration: Sendable, Codable, Equatable {
    public var sampleRate: Int
    /// FFT and window length, samples (power of two). 64 ms resolves harmonics down to ~30 Hz spacing.
    public var fftSize: Int
    /// Frame step, samples. 256 = a quarter window: Hann windows at 75% overlap sum to a constant.
    public var hopLength: Int
    public var melCount: Int
    public var minimumFrequency: Double
    public var maximumFrequency: Double
    /// Mel magnitudes below this are clamped before the log: log(1e-5) = -11.5 is the silence
    /// level; it bounds the log at silence and keeps the dynamic range near 100 dB.
    public var logFloor: Float

    public init(sampleRate: Int = 16_000, fftSize: Int = 1024, hopLength: Int = 256, melCount: Int = 80,
                minimumFrequency: Double = 0, maximumFrequency: Double? = nil, logFloor: Float = 1e-5) {
        self.sampleRate = sampleRate
        self.fftSize = fftSize
        self.hopLength = hopLength
        self.melCount = melCount
        self.minimumFrequency = minimumFrequency
        self.maximumFrequency = maximumFrequency ?? Double(sampleRate) / 2
        self.logFloor = logFloor
    }

    public static let standard = SpectralConfiguration()

    /// Number of frequency bins, fftSize/2 + 1.
    public var binCount: Int { fftSize / 2 + 1 }
    /// Frames per second of audio.
    public var frameRate: Double { Double(sampleRate) / Double(hopLength) }
    /// Frames the centred STFT produces for `sampleCount` samples: 1 + N / hop.
    public func frameCount(sampleCount: Int) -> Int { 1 + sampleCount / hopLength }
}
