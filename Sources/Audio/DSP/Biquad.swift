import Foundation

/// A second-order IIR section, transposed direct form II, in Double:
///   y[n] = b0 x[n] + b1 x[n-1] + b2 x[n-2] - a1 y[n-1] - a2 y[n-2].
/// The Butterworth designs are the bilinear transform (with frequency pre-warping) of the
/// analogue prototype with Q = 1/√2, the same filters as scipy's `butter(2, ...)`.
public struct Biquad: Sendable, Equatable {
    public var b0, b1, b2, a1, a2: Double

    public init(b0: Double, b1: Double, b2: Double, a1: Double, a2: Double) {
        (self.b0, self.b1, self.b2, self.a1, self.a2) = (b0, b1, b2, a1, a2)
    }

    /// 2nd-order Butterworth low-pass, -3 dB at `cutoff` Hz.
    public static func butterworthLowPass(cutoff: Double, sampleRate: Double) -> Biquad {
        let k = tan(Double.pi * cutoff / sampleRate), q = 1 / 2.squareRoot()
        let norm = 1 / (1 + k / q + k * k)
        return Biquad(b0: k * k * norm, b1: 2 * k * k * norm, b2: k * k * norm,
                      a1: 2 * (k * k - 1) * norm, a2: (1 - k / q + k * k) * norm)
    }

    /// 2nd-order Butterworth high-pass, -3 dB at `cutoff` Hz.
    public static func butterworthHighPass(cutoff: Double, sampleRate: Double) -> Biquad {
        let k = tan(Double.pi * cutoff / sampleRate), q = 1 / 2.squareRoot()
        let norm = 1 / (1 + k / q + k * k)
        return Biquad(b0: norm, b1: -2 * norm, b2: norm,
                      a1: 2 * (k * k - 1) * norm, a2: (1 - k / q + k * k) * norm)
    }

    /// Gain at DC, H(1) = (b0 + b1 + b2) / (1 + a1 + a2).
    var dcGain: Double { (b0 + b1 + b2) / (1 + a1 + a2) }

    /// |H(e^{iω})| at `frequency` Hz.
    public func magnitudeResponse(at frequency: Double, sampleRate: Double) -> Double {
        let w = 2 * Double.pi * frequency / sampleRate
        func evaluate(_ c0: Double, _ c1: Double, _ c2: Double) -> Double {
            let re = c0 + c1 * cos(w) + c2 * cos(2 * w), im = -(c1 * sin(w) + c2 * sin(2 * w))
            return (re * re + im * im).squareRoot()
        }
        return evaluate(b0, b1, b2) / evaluate(1, a1, a2)
    }

    /// Filters `x` in place, starting from the steady state for a constant input x[0] (as if the
    /// signal had always been x[0]), so a non-zero start does not ring.
    public func apply(_ x: inout [Double]) {
        guard let first = x.first else { return }
        // Steady state of the two delay registers for x ≡ x0 (then y ≡ H(1)·x0).
        let gain = dcGain
        var z2 = (b2 - a2 * gain) * first
        var z1 = (b1 - a1 * gain) * first + z2
        for n in x.indices {
            let input = x[n]
            let output = b0 * input + z1
            z1 = b1 * input - a1 * output + z2
            z2 = b2 * input - a2 * output
            x[n] = output
        }
    }

    /// Zero-phase filtering (forward, then backward): magnitude |H|², no delay. The ends are
    /// extended by mirror reflection (x[k] before x[0], numpy's "reflect") over `padding`
    /// samples, so the edges see neither a step nor a zero. (Odd reflection, 2·x[0] - x[k],
    /// would continue a smooth trend better but turns one noisy edge sample into a DC step.)
    public static func filtfilt(_ x: [Double], sections: [Biquad], padding: Int) -> [Double] {
        let n = x.count
        guard n > 1 else { return x }
        let pad = min(padding, n - 1)
        var extended = [Double]()
        extended.reserveCapacity(n + 2 * pad)
        for k in stride(from: pad, to: 0, by: -1) { extended.append(x[k]) }
        extended.append(contentsOf: x)
        if pad > 0 { for k in 1...pad { extended.append(x[n - 1 - k]) } }
        for section in sections { section.apply(&extended) }
        extended.reverse()
        for section in sections { section.apply(&extended) }
        extended.reverse()
        return Array(extended[pad..<(pad + n)])
    }
}
