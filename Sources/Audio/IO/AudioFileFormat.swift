import CSndFile

/// A container plus a sample encoding that libsndfile can write.
public struct AudioFileFormat: Sendable, Equatable, CustomStringConvertible {
    public enum Container: String, Sendable, CaseIterable { case wav, flac, ogg }
    public enum Encoding: String, Sendable, CaseIterable {
        /// 8-bit PCM (unsigned in WAV, signed in FLAC, as each format defines).
        case pcm8
        case pcm16, pcm24, pcm32
        /// 32-bit IEEE float, stored unclipped (WAV only).
        case float32
        /// Ogg Vorbis, lossy (OGG only).
        case vorbis
    }

    public var container: Container
    public var encoding: Encoding

    public init(container: Container, encoding: Encoding) {
        self.container = container
        self.encoding = encoding
    }

    public static let wavPCM16 = AudioFileFormat(container: .wav, encoding: .pcm16)
    public static let wavFloat32 = AudioFileFormat(container: .wav, encoding: .float32)
    public static let flac16 = AudioFileFormat(container: .flac, encoding: .pcm16)
    public static let oggVorbis = AudioFileFormat(container: .ogg, encoding: .vorbis)

    public var description: String { "\(container.rawValue)/\(encoding.rawValue)" }

    /// libsndfile's format word, or nil when the pair is not writable (e.g. FLAC float).
    var sndfileFormat: Int32? {
        let major: Int
        switch container {
        case .wav: major = Int(SF_FORMAT_WAV)
        case .flac: major = Int(SF_FORMAT_FLAC)
        case .ogg: major = Int(SF_FORMAT_OGG)
        }
        let minor: Int
        switch (container, encoding) {
        case (.wav, .pcm8): minor = Int(SF_FORMAT_PCM_U8)
        case (.flac, .pcm8): minor = Int(SF_FORMAT_PCM_S8)
        case (.wav, .pcm16), (.flac, .pcm16): minor = Int(SF_FORMAT_PCM_16)
        case (.wav, .pcm24), (.flac, .pcm24): minor = Int(SF_FORMAT_PCM_24)
        case (.wav, .pcm32): minor = Int(SF_FORMAT_PCM_32)
        case (.wav, .float32): minor = Int(SF_FORMAT_FLOAT)
        case (.ogg, .vorbis): minor = Int(SF_FORMAT_VORBIS)
        default: return nil
        }
        return Int32(major | minor)
    }

    /// Integer encodings clip on write instead of wrapping around.
    var isInteger: Bool { [.pcm8, .pcm16, .pcm24, .pcm32].contains(encoding) }
}
