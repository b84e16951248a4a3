import Foundation
import Testing
@testable import Audio

@Suite("Batched real FFTs (FFTW)")
struct FrameTransformsTests {
    /// Runs the forward FFTs of `signals` (T frames of N) in a fresh FrameTransforms; returns it
    /// and the spectra, each frame's bins as interleaved (re, im).
    private static func transformed(_ signals: [[Float]]) -> (FrameTransforms, [[Float]]) {
        let size = signals[0].count
        let transforms = FrameTransforms(frameCount: signals.count, size: size)
        for (t, signal) in signals.enumerated() { for i in 0..<size { transforms.frames[t * size + i] = signal[i] } }
        transforms.forward()
        let width = 2 * transforms.binCount
        let spectra = signals.indices.map { t in (0..<width).map { transforms.spectra[t * width + $0] } }
        return (transforms, spectra)
    }

    /// The O(N²) DFT in Double, the obviously correct twin: X[k] for k = 0...N/2, interleaved.
    private static func naiveDFT(_ input: [Float]) -> [Double] {
        let n = input.count
        return (0...n / 2).flatMap { k in
            var re = 0.0, im = 0.0
            for (t, value) in input.enumerated() {
                let angle = -2 * Double.pi * Double(k * t % n) / Double(n)
                re += Double(value) * cos(angle)
                im += Double(value) * sin(angle)
            }
            return [re, im]
        }
    }

    @Test(arguments: [4, 8, 16, 64, 256, 1024])
    func everyFrameMatchesTheNaiveDFT(size: Int) {
        let signals = (0..<3).map { SignalFixtures.whiteNoise(seconds: Double(size) / 16_000, amplitude: 1, seed: UInt64(size + $0)) }
        let (_, spectra) = Self.transformed(signals)
        // Float round-off grows like sqrt(N log N); relative to the signal's energy sqrt(N).
        let tolerance = 1e-5 * Double(size)
        for (signal, spectrum) in zip(signals, spectra) {
            for (j, expected) in Self.naiveDFT(signal).enumerated() {
                #expect(abs(Double(spectrum[j]) - expected) < tolerance, "\(j % 2 == 0 ? "Re" : "Im") bin \(j / 2) of \(size)")
            }
        }
    }

    /// The inverse is unnormalised: N · x comes back; the imaginary parts of the DC and Nyquist
    /// bins, which no real signal has, are ignored.
    @Test(arguments: [4, 32, 1024, 2048])
    func inverseUndoesForward(size: Int) {
        let signals = (0..<2).map { SignalFixtures.whiteNoise(seconds: Double(size) / 16_000, amplitude: 1, seed: 99 + UInt64($0)) }
        let (transforms, _) = Self.transformed(signals)
        let bins = transforms.binCount
        transforms.spectra[1] = 5
        transforms.spectra[2 * (bins - 1) + 1] = -3
        transforms.inverseUnnormalised()
        var worst: Float = 0
        for (t, signal) in signals.enumerated() {
            for i in 0..<size { worst = max(worst, abs(transforms.frames[t * size + i] / Float(size) - signal[i])) }
        }
        #expect(worst < 1e-5)
    }

    /// A cosine at bin 5 puts N/2 in bin 5 and nothing elsewhere.
    @Test func cosineLandsInItsBin() {
        let size = 64
        let signal = (0..<size).map { Float(cos(2 * Double.pi * 5 * Double($0) / Double(size))) }
        let spectrum = Self.transformed([signal]).1[0]
        for k in 0...size / 2 {
            #expect(abs(spectrum[2 * k] - (k == 5 ? Float(size / 2) : 0)) < 1e-4)
            #expect(abs(spectrum[2 * k + 1]) < 1e-4)
        }
    }

    /// Seeded synthesis promises identical bits: the same frames give the same spectra from
    /// separately made plans, also when they are made and run on several threads at once.
    @Test func resultsAreBitIdenticalAcrossPlansAndThreads() async {
        let signals = (0..<4).map { SignalFixtures.whiteNoise(seconds: 0.064, amplitude: 1, seed: 7 + UInt64($0)) }
        let reference = Self.transformed(signals).1
        let results = await withTaskGroup(of: [[Float]].self) { group in
            for _ in 0..<8 { group.addTask { Self.transformed(signals).1 } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8 && results.allSatisfy { $0 == reference })
    }
}
