import Foundation

/// Brings every utterance to one loudness, so engines' different output levels do not become a
/// "voice" feature the models must learn, and mel statistics are not dominated by loud engines:
///
///   gain = min(10^(targetRMS/20) / rms(x), peakLimit / max|x|)
///
/// −20 dBFS RMS leaves ~14 dB of headroom for speech peaks; the peak limit stops clipping
/// when 16-bit PCM is written.
public struct LoudnessNormalizer: Sendable, Codable, Equatable {
    public var targetRMSDecibels: Double
    public var peakLimit: Float

    public init(targetRMSDecibels: Double = -20, peakLimit: Float = 0.99) {
        self.targetRMSDecibels = targetRMSDecibels
        self.peakLimit = peakLimit
    }

    public static let standard = LoudnessNormalizer()

    public func normalize(_ samples: [Float]) -> [Float] {
        guard !samples.isEmpty else { return samples }
        var sumOfSquares = 0.0
        var peak: Float = 0
        for x in samples {
            sumOfSquares += Double(x) * Double(x)
            peak = max(peak, abs(x))
        }
        let rms = (sumOfSquares / Double(samples.count)).squareRoot()
        guard rms > 0, peak > 0 else { return samples }
        let gain = min(Float(pow(10, targetRMSDecibels / 20) / rms), peakLimit / peak)
        return samples.map { $0 * gain }
    }
}
