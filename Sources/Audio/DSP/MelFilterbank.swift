import Foundation

/// Slaney-style mel filterbank (Auditory Toolbox; librosa's `mel(htk=False, norm='slaney')`).
///
/// Mel scale: linear below 1 kHz, logarithmic above,
///   mel(f) = 3f / 200                              for f < 1000 Hz
///   mel(f) = 15 + 27 · ln(f / 1000) / ln(6.4)      for f ≥ 1000 Hz.
/// M + 2 edge frequencies c_0..c_{M+1} are equally spaced in mel between the band limits; filter
/// m is the triangle rising from c_m to c_{m+1} and falling to c_{m+2}, evaluated at the FFT bin
/// frequencies k·sr/n_fft, scaled by 2 / (c_{m+2} - c_m) so every filter has the same area
/// (constant energy per band, "slaney" normalisation).
public struct MelFilterbank: Sendable {
    public let melCount: Int
    public let binCount: Int
    /// Dense weights, (M, F) row-major.
    public let weights: [Float]
    /// Non-zero bin range of each filter, [lower, upper), used by the fast paths.
    let ranges: [Range<Int>]

    public init(configuration: SpectralConfiguration = .standard) {
        let melCount = configuration.melCount, binCount = configuration.binCount
        self.melCount = melCount
        self.binCount = binCount
        let grid = Grid(configuration)
        let edges = (0..<(melCount + 2)).map { Self.melToHz(grid.mel(ofEdge: Double($0))) }
        let binHz = Double(configuration.sampleRate) / Double(configuration.fftSize)
        var weights = [Float](repeating: 0, count: melCount * binCount)
        var ranges: [Range<Int>] = []
        for m in 0..<melCount {
            let (lower, centre, upper) = (edges[m], edges[m + 1], edges[m + 2])
            let areaNormalisation = 2 / (upper - lower)
            var first = binCount, last = 0
            for k in 0..<binCount {
                let f = Double(k) * binHz
                let rising = (f - lower) / (centre - lower), falling = (upper - f) / (upper - centre)
                let value = max(0, min(rising, falling)) * areaNormalisation
                if value > 0 {
                    weights[m * binCount + k] = Float(value)
                    first = min(first, k); last = max(last, k)
                }
            }
            ranges.append(first <= last ? first..<(last + 1) : 0..<0)
        }
        self.weights = weights
        self.ranges = ranges
    }

    /// The M + 2 band edges, equally spaced in mel between the band limits: band m rises from
    /// edge m, peaks at edge m + 1 and falls to edge m + 2. Edge positions may be fractional.
    struct Grid {
        let low: Double, high: Double, melCount: Int

        init(_ configuration: SpectralConfiguration) {
            low = MelFilterbank.hzToMel(configuration.minimumFrequency)
            high = MelFilterbank.hzToMel(configuration.maximumFrequency)
            melCount = configuration.melCount
        }

        func mel(ofEdge edge: Double) -> Double { low + (high - low) * edge / Double(melCount + 1) }
        func edge(ofMel mel: Double) -> Double { (mel - low) / (high - low) * Double(melCount + 1) }
    }

    public static func hzToMel(_ hz: Double) -> Double {
        hz < 1000 ? 3 * hz / 200 : 15 + 27 * log(hz / 1000) / log(6.4)
    }

    public static func melToHz(_ mel: Double) -> Double {
        mel < 15 ? 200 * mel / 3 : 1000 * exp((mel - 15) * log(6.4) / 27)
    }

    /// mel[t, m] = Σ_k W[m, k] S[t, k]: (T, F) -> (T, M).
    public func apply(_ spectrum: [Float], frameCount: Int) -> [Float] {
        precondition(spectrum.count == frameCount * binCount)
        var output = [Float](repeating: 0, count: frameCount * melCount)
        spectrum.withUnsafeBufferPointer { s in
            weights.withUnsafeBufferPointer { w in
                output.withUnsafeMutableBufferPointer { out in
                    for t in 0..<frameCount {
                        for m in 0..<melCount {
                            var total: Float = 0
                            for k in ranges[m] { total += w[m * binCount + k] * s[t * binCount + k] }
                            out[t * melCount + m] = total
                        }
                    }
                }
            }
        }
        return output
    }
}
