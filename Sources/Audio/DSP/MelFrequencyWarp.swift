import Foundation

/// Vocal-tract-length perturbation of a log-mel spectrogram (Jaitly & Hinton 2013): every
/// frame's spectrum is stretched along frequency by a factor α, S'(f) = S(f / α), so formants
/// and harmonics move up (α > 1) or down (α < 1) together, as between a longer and a shorter
/// vocal tract. A speech model trained on warped copies of its voices hears many more timbres
/// than the corpus has speakers.
///
/// Each output band m takes the log-mel value at the source frequency f_m / α (f_m the band's
/// centre), interpolated linearly in mel between the two nearest bands; sources outside the
/// band centres take the edge band's value. Interpolating log energies rather than energies
/// keeps the envelope's shape; the slaney bands' per-Hz normalisation (a constant −ln α) is not
/// applied, since the corpus is loudness-normalised anyway.
public struct MelFrequencyWarp: Sendable {
    /// Per output band: the source band below f_m / α and the weight of the band above it.
    let lowerBand: [Int]
    let upperWeight: [Float]

    public init(configuration: SpectralConfiguration, factor: Double) {
        precondition(factor > 0, "a frequency warp factor must be positive")
        let M = configuration.melCount, grid = MelFilterbank.Grid(configuration)
        var lowerBand: [Int] = [], upperWeight: [Float] = []
        for m in 0..<M {
            // Band m's centre is edge m + 1.
            let centre = MelFilterbank.melToHz(grid.mel(ofEdge: Double(m + 1)))
            let position = grid.edge(ofMel: MelFilterbank.hzToMel(centre / factor)) - 1
            let clamped = min(max(position, 0), Double(M - 1))
            let lower = min(Int(clamped), M - 2)
            lowerBand.append(lower)
            upperWeight.append(Float(clamped - Double(lower)))
        }
        self.lowerBand = lowerBand
        self.upperWeight = upperWeight
    }

    /// Warps frames of `melCount` log-mel values, (T, M) row-major.
    public func apply(_ logMel: [Float]) -> [Float] {
        let M = lowerBand.count
        precondition(logMel.count % M == 0, "log-mel of \(logMel.count) values is not whole frames of \(M) bands")
        var out = [Float](repeating: 0, count: logMel.count)
        for frame in stride(from: 0, to: logMel.count, by: M) {
            for m in 0..<M {
                let lower = logMel[frame + lowerBand[m]], upper = logMel[frame + lowerBand[m] + 1]
                out[frame + m] = lower + upperWeight[m] * (upper - lower)
            }
        }
        return out
    }
}
