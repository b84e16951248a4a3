/// Tunables of the F0 tracker, with units. Codable so reports and checkpoints can record them.
public struct PitchTrackerConfiguration: Sendable, Codable, Equatable {
    /// Samples per second of the input, Hz.
    public var sampleRate: Int
    /// Frame step, seconds. 10 ms is the usual F0 rate (issue 3) and resolves syllable-rate motion.
    public var hopSeconds: Double
    /// Lowest F0 searched, Hz: 50 Hz is below any adult's modal voice (creak aside).
    public var minimumF0: Double
    /// Highest F0 searched, Hz: 500 Hz is above any speaking voice incl. children's.
    public var maximumF0: Double
    /// YIN step 4 absolute threshold on the cumulative mean normalised difference: the first dip
    /// below it wins, which prefers the true period over its multiples. 0.15 is between the
    /// paper's 0.1 (strict) and pYIN's central thresholds; synthetic and TTS speech passes it easily.
    public var absoluteThreshold: Float
    /// Voicing decision: a frame is voiced when the chosen dip d'(τ) is below this aperiodicity.
    /// White noise sits near 1, clean voicing near 0, breathy voicing at 0.2-0.35.
    public var voicingThreshold: Float
    /// Frames whose RMS is this many dB below the loudest frame are silent (unvoiced): Praat's
    /// silence threshold 0.03 of the peak is -30 dB.
    public var silenceThresholdDecibels: Float
    /// Zero-phase 2nd-order Butterworth low-pass applied before YIN, Hz (0 disables). The
    /// fundamental (≤ 800 Hz) passes; sharp glottal pulses and high formants are smoothed, so
    /// the period dip of d'(τ) is wide enough for whole-sample lags to find it (without it, a
    /// 310 Hz band-limited pulse train at 16 kHz is tracked an octave low).
    public var lowPassCutoff: Double
    /// Frames quieter than this absolute RMS (about -80 dBFS) are silent whatever the peak.
    public var absoluteSilenceRMS: Float

    public init(sampleRate: Int = 16_000, hopSeconds: Double = 0.01, minimumF0: Double = 50,
                maximumF0: Double = 500, absoluteThreshold: Float = 0.15, voicingThreshold: Float = 0.3,
                silenceThresholdDecibels: Float = 30, lowPassCutoff: Double = 1000, absoluteSilenceRMS: Float = 1e-4) {
        self.sampleRate = sampleRate
        self.hopSeconds = hopSeconds
        self.minimumF0 = minimumF0
        self.maximumF0 = maximumF0
        self.absoluteThreshold = absoluteThreshold
        self.voicingThreshold = voicingThreshold
        self.silenceThresholdDecibels = silenceThresholdDecibels
        self.lowPassCutoff = lowPassCutoff
        self.absoluteSilenceRMS = absoluteSilenceRMS
    }

    public static let standard = PitchTrackerConfiguration()

    /// Hop in samples (160 at 16 kHz).
    public var hopLength: Int { Int((hopSeconds * Double(sampleRate)).rounded()) }
    /// Shortest lag searched, samples: ⌊sr / fmax⌋.
    public var minimumLag: Int { max(2, Int(Double(sampleRate) / maximumF0)) }
    /// Longest lag searched, samples: ⌈sr / fmin⌉.
    public var maximumLag: Int { Int((Double(sampleRate) / minimumF0).rounded(.up)) }
    /// YIN integration window W, samples: two of the longest periods, so even a 50 Hz voice has
    /// two full cycles in every comparison (40 ms at the defaults).
    public var integrationWindow: Int { 2 * maximumLag }
}

/// F0 per frame. Frame t is centred at t · hop seconds; shapes (T,) with T = 1 + N / hop.
public struct PitchTrack: Sendable, Equatable {
    public var hopSeconds: Double
    /// Best period candidate as a frequency, Hz, for every frame (also unvoiced ones).
    public var frequencies: [Float]
    /// Voicing decision per frame.
    public var voiced: [Bool]
    /// d'(τ) at the chosen lag: 0 is perfectly periodic, ~1 is noise.
    public var aperiodicity: [Float]

    public init(hopSeconds: Double, frequencies: [Float], voiced: [Bool], aperiodicity: [Float]) {
        self.hopSeconds = hopSeconds
        self.frequencies = frequencies
        self.voiced = voiced
        self.aperiodicity = aperiodicity
    }

    public var frameCount: Int { frequencies.count }
    /// F0 in Hz for voiced frames, nil for unvoiced ones.
    public var f0: [Float?] { zip(frequencies, voiced).map { $1 ? $0 : nil } }
    /// Fraction of frames judged voiced.
    public var voicedFraction: Double {
        frameCount == 0 ? 0 : Double(voiced.filter { $0 }.count) / Double(frameCount)
    }
    /// Mean F0 over voiced frames, Hz; nil when nothing is voiced.
    public var meanVoicedF0: Double? {
        let values = zip(frequencies, voiced).filter { $0.1 }.map { Double($0.0) }
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
