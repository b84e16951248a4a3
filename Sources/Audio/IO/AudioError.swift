import Foundation

/// Everything that can go wrong turning bytes into samples or samples into bytes.
///
/// Every decoder and encoder entry point throws only this type, so a server can map each case
/// to an HTTP status (bad uploads are 4xx, never a crash and never a 500).
public enum AudioError: Error, Equatable, Sendable, CustomStringConvertible {
    /// libsndfile did not recognise the bytes as any audio format it reads.
    case notAudio(reason: String)
    /// The header promised more sample frames than the data holds (file cut short).
    case truncated(expectedFrames: Int, foundFrames: Int)
    /// The stream is well formed but holds no samples at all.
    case zeroSamples
    /// Longer than the decoding limit; `seconds` is the length the header claims.
    case tooLong(seconds: Double, limitSeconds: Double)
    /// A sample rate outside `AudioDecodingLimits.sampleRateRange`.
    case absurdSampleRate(Int)
    /// A channel count outside `1...AudioDecodingLimits.maximumChannels`.
    case unsupportedChannelCount(Int)
    /// NaN or infinity inside a float stream.
    case nonFiniteSamples
    /// The file could not be opened or written (missing, permissions, disk full).
    case fileAccess(path: String, reason: String)
    /// libsndfile refused to encode (it should not, for the formats we write).
    case encodingFailed(reason: String)
    /// libsamplerate reported an error.
    case resamplingFailed(reason: String)

    public var description: String {
        switch self {
        case .notAudio(let reason): return "not a readable audio stream: \(reason)"
        case .truncated(let expected, let found):
            return "audio is truncated: header promises \(expected) frames, data holds \(found)"
        case .zeroSamples: return "audio holds no samples"
        case .tooLong(let seconds, let limit):
            return "audio is \(String(format: "%.1f", seconds)) s long; the limit is \(String(format: "%.1f", limit)) s"
        case .absurdSampleRate(let rate): return "sample rate \(rate) Hz is outside the supported range"
        case .unsupportedChannelCount(let count): return "\(count) channels is outside the supported range"
        case .nonFiniteSamples: return "audio contains NaN or infinite samples"
        case .fileAccess(let path, let reason): return "cannot access \(path): \(reason)"
        case .encodingFailed(let reason): return "encoding failed: \(reason)"
        case .resamplingFailed(let reason): return "resampling failed: \(reason)"
        }
    }
}
