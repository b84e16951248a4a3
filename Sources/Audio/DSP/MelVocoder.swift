/// The floor vocoder (DESIGN §4): log-mel -> linear magnitude (pseudo-inverse + NNLS) ->
/// Griffin-Lim phase -> waveform at the configuration's sample rate.
public struct GriffinLimVocoder: Sendable {
    public let extractor: LogMelExtractor
    public let inverseMel: MelPseudoInverse
    public var griffinLim: GriffinLim

    public init(configuration: SpectralConfiguration = .standard, iterations: Int = 32,
                momentum: Float = 0.99, seed: UInt64 = 0) {
        extractor = LogMelExtractor(configuration: configuration)
        inverseMel = MelPseudoInverse(filterbank: extractor.filterbank)
        griffinLim = GriffinLim(stft: extractor.stft, iterations: iterations, momentum: momentum, seed: seed)
    }

    /// Waveform of (T-1)·hop samples from un-normalised log-mel (T, M).
    /// Values at the floor become magnitude 0 exactly, so silence stays silent.
    public func synthesize(_ logMel: LogMel) -> Waveform {
        let floorLog = logf(extractor.configuration.logFloor) + 1e-4
        let mel = logMel.values.map { $0 <= floorLog ? 0 : expf($0) }
        let magnitude = inverseMel.linearMagnitude(fromMel: mel, frameCount: logMel.frameCount)
        let samples = griffinLim.reconstruct(magnitude: magnitude, frameCount: logMel.frameCount)
        return Waveform(samples: samples, sampleRate: extractor.configuration.sampleRate)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
