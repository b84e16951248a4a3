import Foundation
import Testing
@testable import Audio

@Suite("STFT, mel filterbank, log-mel")
struct SpectralTests {
    let configuration = SpectralConfiguration.standard

    @Test func stftShapesFollowTheCentredConvention() {
        let stft = STFT()
        let spectrogram = stft.forward(SignalFixtures.tone(frequency: 440, seconds: 1))
        #expect(spectrogram.frameCount == 1 + 16_000 / 256)
        #expect(spectrogram.binCount == 513)
    }

    /// Hann windows at hop n_fft/4 satisfy the overlap-add condition, so ISTFT(STFT(x)) = x.
    @Test func istftInvertsStft() {
        let stft = STFT()
        let signal = SignalFixtures.whiteNoise(seconds: 0.7, amplitude: 0.5)
        let back = stft.inverse(stft.forward(signal), length: signal.count)
        let worst = zip(back, signal).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-4)
    }

    /// A spectrogram without frames holds no signal: silence of the asked length comes back.
    @Test func inverseOfNoFramesIsSilence() {
        let empty = ComplexSpectrogram(frameCount: 0, binCount: STFT().configuration.binCount, real: [], imag: [])
        #expect(STFT().inverse(empty, length: 5) == [0, 0, 0, 0, 0])
        #expect(STFT().inverse(empty).isEmpty)
    }

    /// The padding numpy's `np.pad(x, k, mode="reflect")` gives, read index by index.
    @Test func reflectionMatchesNumpy() {
        func padded(_ x: [Float], by amount: Int) -> [Float] {
            x.withUnsafeBufferPointer { source in (-amount..<(x.count + amount)).map { STFT.reflected(source, at: $0) } }
        }
        #expect(padded([1, 2, 3, 4], by: 2) == [3, 2, 1, 2, 3, 4, 3, 2])
        #expect(padded([1, 2], by: 3) == [2, 1, 2, 1, 2, 1, 2, 1])
        #expect(padded([5], by: 1) == [5, 5, 5])
    }

    @Test func stftOfAToneFindsItsBin() {
        let stft = STFT()
        let frequency = 1000.0  // bin 64 exactly
        let spectrogram = stft.forward(SignalFixtures.tone(frequency: frequency, seconds: 0.5))
        let magnitude = spectrogram.magnitude
        let t = spectrogram.frameCount / 2
        let row = Array(magnitude[(t * 513)..<((t + 1) * 513)])
        #expect(row.firstIndex(of: row.max()!) == 64)
        // Hann window sum is n_fft/2, so a sinusoid of amplitude A peaks at A·n_fft/4.
        #expect(abs(row[64] - 0.5 * 1024 / 4) < 0.5)
    }

    @Test func slaneyMelScale() {
        #expect(abs(MelFilterbank.hzToMel(1000) - 15) < 1e-12)
        #expect(abs(MelFilterbank.hzToMel(500) - 7.5) < 1e-12)
        #expect(abs(MelFilterbank.hzToMel(6400) - 42) < 1e-9)
        for hz in [0.0, 60, 999, 1000, 1001, 4321, 8000] {
            #expect(abs(MelFilterbank.melToHz(MelFilterbank.hzToMel(hz)) - hz) < 1e-6)
        }
    }

    /// Slaney normalisation gives every triangle unit area in Hz: Σ_k W[m,k] · Δf ≈ 1 (exact
    /// for filters spanning many bins; the sampling of narrow low filters makes it approximate).
    @Test func filterbankTrianglesHaveUnitArea() {
        let bank = MelFilterbank()
        let binHz = 16_000.0 / 1024
        for m in 0..<80 {
            let area = (0..<513).map { Double(bank.weights[m * 513 + $0]) }.reduce(0, +) * binHz
            #expect(abs(area - 1) < (m < 10 ? 0.35 : 0.05), "filter \(m) area \(area)")
        }
        // Filters tile the band: every bin from 1 up to just below Nyquist is covered.
        for k in 1..<512 {
            #expect((0..<80).contains { bank.weights[$0 * 513 + k] > 0 }, "bin \(k) uncovered")
        }
    }

    /// A tone's energy lands in the mel band whose centre is nearest to it.
    @Test func toneLandsInItsMelBand() {
        let extractor = LogMelExtractor()
        let logMel = extractor(SignalFixtures.tone(frequency: 2000, seconds: 0.5))
        let frame = Array(logMel.frame(logMel.frameCount / 2))
        let loudest = frame.firstIndex(of: frame.max()!)!
        let melLow = 0.0, melHigh = MelFilterbank.hzToMel(8000)
        let centre = MelFilterbank.melToHz(melLow + (melHigh - melLow) * Double(loudest + 1) / 81)
        #expect(abs(centre - 2000) < 120, "band \(loudest) centred at \(centre) Hz")
    }

    @Test func silenceSitsAtTheLogFloor() {
        let logMel = LogMelExtractor()([Float](repeating: 0, count: 4000))
        #expect(logMel.values.allSatisfy { abs($0 - logf(1e-5)) < 1e-6 })
    }

    @Test func statisticsNormaliseToZeroMeanUnitStdAndRoundTripThroughJSON() throws {
        let extractor = LogMelExtractor()
        let logMel = extractor(SignalFixtures.harmonic(seconds: 1) { 120 + 30 * sin(2 * .pi * $0) })
        var accumulator = MelStatisticsAccumulator(melCount: 80)
        accumulator.add(logMel)
        let statistics = accumulator.statistics()
        let normalised = statistics.normalize(logMel)
        for m in [0, 10, 40, 79] {
            let column = (0..<normalised.frameCount).map { Double(normalised.values[$0 * 80 + m]) }
            let mean = column.reduce(0, +) / Double(column.count)
            let std = (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count)).squareRoot()
            #expect(abs(mean) < 1e-4)
            // A band that hardly varies keeps the floor's scale (`MelStatistics.minimumStd`).
            #expect(statistics.std[m] <= MelStatistics.minimumStd || abs(std - 1) < 1e-3, "band \(m): std \(std)")
        }
        let back = statistics.denormalize(normalised)
        #expect(zip(back.values, logMel.values).allSatisfy { abs($0 - $1) < 1e-4 })
        let decoded = try JSONDecoder().decode(MelStatistics.self, from: JSONEncoder().encode(statistics))
        #expect(decoded == statistics)
    }
}
