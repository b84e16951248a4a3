import NN

/// SpecAugment-style masking (Park et al. 2019) of normalised log-mel during training: a few
/// random bands of mel bins and spans of frames are set to 0 (the corpus mean after
/// normalisation). It keeps the recogniser from leaning on any one band or frame, which is
/// what carries over to voices it has never heard.
public struct SpecAugment: Codable, Sendable, Equatable {
    public var frequencyMasks: Int
    /// Widest frequency mask, mel bins.
    public var maxFrequencyMaskBins: Int
    /// Time masks per 100 frames (1.6 s) of the utterance, so long utterances get as many per second.
    public var timeMasksPer100Frames: Double
    /// Widest time mask, frames.
    public var maxTimeMaskFrames: Int

    public init(frequencyMasks: Int = 2, maxFrequencyMaskBins: Int = 10, timeMasksPer100Frames: Double = 1,
                maxTimeMaskFrames: Int = 10) {
        self.frequencyMasks = frequencyMasks; self.maxFrequencyMaskBins = maxFrequencyMaskBins
        self.timeMasksPer100Frames = timeMasksPer100Frames; self.maxTimeMaskFrames = maxTimeMaskFrames
    }

    public static let none = SpecAugment(frequencyMasks: 0, maxFrequencyMaskBins: 0, timeMasksPer100Frames: 0, maxTimeMaskFrames: 0)

    /// Masks one utterance `x (frames, M)` in place.
    public func apply(_ x: FloatPointer, frames: Int, M: Int, rng: inout RNG) {
        for _ in 0..<frequencyMasks where maxFrequencyMaskBins > 0 {
            let width = rng.int(below: maxFrequencyMaskBins + 1)
            let start = rng.int(below: max(1, M - width))
            for t in 0..<frames { (x + t * M + start).update(repeating: 0, count: min(width, M - start)) }
        }
        let timeMasks = Int(timeMasksPer100Frames * Double(frames) / 100)
        for _ in 0..<timeMasks where maxTimeMaskFrames > 0 {
            let width = rng.int(below: maxTimeMaskFrames + 1)
            let start = rng.int(below: max(1, frames - width))
            (x + start * M).update(repeating: 0, count: min(width, frames - start) * M)
        }
    }
}
