import Audio

/// Shape and front end of the speaker encoder, saved as its config.json.
public struct SpeakerEncoderConfig: Codable, Sendable, Equatable {
    public var melBins: Int
    public var convolutions: [ConvolutionSpec]
    /// Width of the embedding (the linear layer after statistics pooling).
    public var embeddingSize: Int
    public var spectral: SpectralConfiguration
    public var melStatistics: MelStatistics

    public init(melBins: Int = 80, convolutions: [ConvolutionSpec], embeddingSize: Int,
                spectral: SpectralConfiguration = .standard, melStatistics: MelStatistics) {
        self.melBins = melBins; self.convolutions = convolutions; self.embeddingSize = embeddingSize
        self.spectral = spectral; self.melStatistics = melStatistics
    }

    /// Shortest input, mel frames: every convolution needs a full kernel.
    public var minimumMelFrames: Int { convolutions.map(\.kernel).max() ?? 1 }
}
