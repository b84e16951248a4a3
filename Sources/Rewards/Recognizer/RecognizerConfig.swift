import Audio
import NN

/// Hyperparameters and front-end settings of the CTC phoneme recogniser, saved as the model's
/// config.json beside its weights.
///
/// Frame rate: log-mel comes at 62.5 frames/s. CTC needs at least one frame per phoneme plus one
/// blank between repeated phonemes; the corpus's fastest voices speak ~17 phonemes/s (espeak-ng
/// at raised rates), so a 4x reduction (15.6 frames/s) would make fast utterances infeasible.
/// The default reduces 2x (31.25 frames/s) with the first convolution's stride.
public struct RecognizerConfig: Codable, Sendable, Equatable {
    public var melBins: Int
    public var convolutions: [ConvolutionSpec]
    public var encoder: TransformerConfig
    public var classCount: Int
    public var blank: Int32
    public var phonemeVocabularyVersion: Int
    public var spectral: SpectralConfiguration
    /// Per-bin normalisation of the log-mel input (from the training corpus).
    public var melStatistics: MelStatistics

    public init(melBins: Int = 80, convolutions: [ConvolutionSpec], encoder: TransformerConfig, classCount: Int, blank: Int32,
                phonemeVocabularyVersion: Int, spectral: SpectralConfiguration = .standard, melStatistics: MelStatistics) {
        self.melBins = melBins; self.convolutions = convolutions; self.encoder = encoder
        self.classCount = classCount; self.blank = blank; self.phonemeVocabularyVersion = phonemeVocabularyVersion
        self.spectral = spectral; self.melStatistics = melStatistics
    }

    /// Total time reduction of the convolutions.
    public var downsampling: Int { convolutions.reduce(1) { $0 * $1.stride } }
    /// Encoder frames per second of audio.
    public var outputFrameRate: Double { spectral.frameRate / Double(downsampling) }
    /// Longest input, mel frames, the encoder's positions allow.
    public var maximumMelFrames: Int { encoder.maxPositions * downsampling }
}
