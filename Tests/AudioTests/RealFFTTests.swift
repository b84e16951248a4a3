import Foundation
import Testing
@testable import Audio

@Suite("Real FFT")
struct RealFFTTests {
    @Test(arguments: [4, 8, 16, 64, 256, 1024])
    func matchesNaiveDFT(size: Int) {
        let signal = SignalFixtures.whiteNoise(seconds: Double(size) / 16_000, amplitude: 1, seed: UInt64(size))
        let fast = RealFFT(count: size).forward(signal)
        let reference = RealFFT.naiveDFT(signal)
        // Float round-off grows like sqrt(N log N); relative to the signal's energy sqrt(N).
        let tolerance = 1e-5 * Double(size)
        for k in 0...size / 2 {
            #expect(abs(Double(fast.real[k]) - reference.real[k]) < tolerance, "Re bin \(k) of \(size)")
            #expect(abs(Double(fast.imag[k]) - reference.imag[k]) < tolerance, "Im bin \(k) of \(size)")
        }
    }

    @Test(arguments: [4, 32, 1024, 2048])
    func inverseUndoesForward(size: Int) {
        let signal = SignalFixtures.whiteNoise(seconds: Double(size) / 16_000, amplitude: 1, seed: 99)
        let fft = RealFFT(count: size)
        let (real, imag) = fft.forward(signal)
        let back = fft.inverse(real: real, imag: imag)
        let worst = zip(back, signal).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-5)
    }

    /// A cosine at bin 5 puts N/2 in bin 5 and nothing elsewhere.
    @Test func cosineLandsInItsBin() {
        let size = 64
        let signal = (0..<size).map { Float(cos(2 * Double.pi * 5 * Double($0) / Double(size))) }
        let (real, imag) = RealFFT(count: size).forward(signal)
        for k in 0...size / 2 {
            #expect(abs(real[k] - (k == 5 ? Float(size / 2) : 0)) < 1e-4)
            #expect(abs(imag[k]) < 1e-4)
        }
    }
}
