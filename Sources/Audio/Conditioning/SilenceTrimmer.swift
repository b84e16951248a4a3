import Foundation

/// Cuts leading and trailing silence the same way for every engine, so that utterance edges
/// (and the stop head's target) do not depend on each engine's habits.
///
///   frame energy e[f] = 10 log10(mean(x²) over frame f)      (10 ms frames, no overlap)
///   speech frames     = { f : e[f] >= max_f e[f] - thresholdBelowPeak }
///   kept samples      = [first speech frame - margin, last speech frame end + margin)
///
/// The threshold is relative to the utterance's own peak, so quiet and loud engines trim alike;
/// 40 dB below the peak keeps weak fricatives and releases (about 20-30 dB down) and drops
/// engine noise floors and dither. The 50 ms margin keeps onsets and decays whole.
public struct SilenceTrimmer: Sendable, Codable, Equatable {
    /// Analysis frame, seconds.
    public var frameSeconds: Double
    /// Frames quieter than the loudest frame by more than this are silence, dB.
    public var thresholdBelowPeakDecibels: Double
    /// Audio kept beyond the first and last speech frame, seconds.
    public var marginSeconds: Double

    public init(frameSeconds: Double = 0.010, thresholdBelowPeakDecibels: Double = 40, marginSeconds: Double = 0.050) {
        self.frameSeconds = frameSeconds
        self.thresholdBelowPeakDecibels = thresholdBelowPeakDecibels
        self.marginSeconds = marginSeconds
    }

    public static let standard = SilenceTrimmer()

    /// Energy of an all-zero frame, dB: keeps log10 finite.
    static let silenceFloorDecibels = -200.0

    /// The sample range to keep; nil when the audio holds no sound at all.
    public func speechRange(_ samples: [Float], sampleRate: Int) -> Range<Int>? {
        let frameLength = max(1, Int((frameSeconds * Double(sampleRate)).rounded()))
        let frameCount = (samples.count + frameLength - 1) / frameLength
        guard frameCount > 0 else { return nil }
        var energies = [Double](repeating: Self.silenceFloorDecibels, count: frameCount)
        for f in 0..<frameCount {
            let lower = f * frameLength, upper = min(samples.count, lower + frameLength)
            var sum = 0.0
            for i in lower..<upper { sum += Double(samples[i]) * Double(samples[i]) }
            let meanSquare = sum / Double(upper - lower)
            if meanSquare > 0 { energies[f] = max(10 * log10(meanSquare), Self.silenceFloorDecibels) }
        }
        let peak = energies.max()!
        guard peak > Self.silenceFloorDecibels else { return nil }
        let threshold = peak - thresholdBelowPeakDecibels
        let first = energies.firstIndex { $0 >= threshold }!
        let last = energies.lastIndex { $0 >= threshold }!
        let margin = Int((marginSeconds * Double(sampleRate)).rounded())
        let start = max(0, first * frameLength - margin)
        let end = min(samples.count, (last + 1) * frameLength + margin)
        return start..<end
    }
}
