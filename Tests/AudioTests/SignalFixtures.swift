import Foundation

/// Synthetic signals with known answers, shared by the DSP and pitch tests.
enum SignalFixtures {
    /// amplitude * sin(2π f t), shape (seconds * rate,).
    static func tone(frequency: Double, seconds: Double, sampleRate: Int = 16_000,
                     amplitude: Float = 0.5) -> [Float] {
        let count = Int(seconds * Double(sampleRate))
        return (0..<count).map { n in
            amplitude * Float(sin(2 * Double.pi * frequency * Double(n) / Double(sampleRate)))
        }
    }

    /// Harmonic signal whose instantaneous F0 is `f0(t)` Hz: sum of `harmonics` partials with
    /// 1/k amplitudes (a sawtooth-like, speech-like spectrum), phase integrated sample by sample.
    static func harmonic(seconds: Double, sampleRate: Int = 16_000, harmonics: Int = 10,
                         amplitude: Float = 0.3, f0: (Double) -> Double) -> [Float] {
        let count = Int(seconds * Double(sampleRate))
        var phase = 0.0
        var output = [Float](repeating: 0, count: count)
        let nyquist = Double(sampleRate) / 2
        for n in 0..<count {
            let frequency = f0(Double(n) / Double(sampleRate))
            var value = 0.0
            for k in 1...harmonics where Double(k) * frequency < nyquist {
                value += sin(Double(k) * phase) / Double(k)
            }
            output[n] = amplitude * Float(value)
            phase += 2 * Double.pi * frequency / Double(sampleRate)
            if phase > 2 * Double.pi { phase -= 2 * Double.pi }
        }
        return output
    }

    /// Unit impulses every 1/f0 seconds (fractional periods rounded per pulse), like glottal pulses.
    static func pulseTrain(f0: Double, seconds: Double, sampleRate: Int = 16_000,
                           amplitude: Float = 0.8) -> [Float] {
        let count = Int(seconds * Double(sampleRate))
        var output = [Float](repeating: 0, count: count)
        var time = 0.0
        while true {
            let index = Int((time * Double(sampleRate)).rounded())
            if index >= count { break }
            output[index] = amplitude
            time += 1 / f0
        }
        return output
    }

    /// Band-limited pulse train: Σ_k cos(k·φ(t)) over all harmonics below Nyquist, equal
    /// amplitudes; the sampled version of an impulse train with a fractional period.
    static func bandLimitedPulseTrain(f0: Double, seconds: Double, sampleRate: Int = 16_000,
                                      amplitude: Float = 0.05) -> [Float] {
        let count = Int(seconds * Double(sampleRate))
        let harmonics = Int((Double(sampleRate) / 2 - 1) / f0)
        return (0..<count).map { n in
            let phase = 2 * Double.pi * f0 * Double(n) / Double(sampleRate)
            var value = 0.0
            for k in 1...harmonics { value += cos(Double(k) * phase) }
            return amplitude * Float(value)
        }
    }

    /// Uniform white noise in [-amplitude, amplitude] from a fixed-seed generator.
    static func whiteNoise(seconds: Double, sampleRate: Int = 16_000, amplitude: Float = 0.5,
                           seed: UInt64 = 12345) -> [Float] {
        var generator = SplitMix64(seed: seed)
        return (0..<Int(seconds * Double(sampleRate))).map { _ in
            amplitude * (Float(generator.next() >> 40) / Float(1 << 24) * 2 - 1)
        }
    }

    /// Frequency of a (near-)sinusoid by counting rising zero crossings with linear
    /// interpolation between the samples around each crossing.
    static func zeroCrossingFrequency(_ samples: [Float], sampleRate: Int) -> Double {
        var crossings: [Double] = []
        for n in 1..<samples.count where samples[n - 1] < 0 && samples[n] >= 0 {
            let fraction = Double(-samples[n - 1]) / Double(samples[n] - samples[n - 1])
            crossings.append(Double(n - 1) + fraction)
        }
        guard let first = crossings.first, let last = crossings.last, crossings.count > 1 else { return 0 }
        return Double(crossings.count - 1) * Double(sampleRate) / (last - first)
    }
}

/// Small deterministic generator so fixtures are identical on every machine.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
