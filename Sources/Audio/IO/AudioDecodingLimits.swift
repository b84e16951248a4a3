/// Bounds that decoding enforces before it allocates, so a hostile header cannot make the
/// process allocate gigabytes or loop for minutes. A server passes its own values from config.
public struct AudioDecodingLimits: Sendable, Equatable {
    /// Longest accepted audio, in seconds. Ten minutes covers any prompt or scoring upload;
    /// at 48 kHz stereo Float32 it is 230 MB of decoded samples, the most we ever hold.
    public var maximumSeconds: Double
    /// Accepted source sample rates, Hz. Below 4 kHz is not speech audio; above 384 kHz no
    /// real recorder writes, so such a header is corrupt.
    public var sampleRateRange: ClosedRange<Int>
    /// Most channels accepted (down-mixed to mono). 64 covers any real multichannel file.
    public var maximumChannels: Int

    public init(maximumSeconds: Double = 600, sampleRateRange: ClosedRange<Int> = 4_000...384_000,
                maximumChannels: Int = 64) {
        self.maximumSeconds = maximumSeconds
        self.sampleRateRange = sampleRateRange
        self.maximumChannels = maximumChannels
    }

    public static let `default` = AudioDecodingLimits()
}

/// The single internal sample rate of the project (DESIGN §4): every model and metric sees 16 kHz.
public let internalSampleRate = 16_000
