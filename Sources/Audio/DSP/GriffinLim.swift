/// Phase reconstruction from a magnitude spectrogram by fast Griffin-Lim
/// (Griffin & Lim 1984, "Signal estimation from modified short-time Fourier transform";
/// momentum variant of Perraudin, Balazs & Søndergaard 2013, "A fast Griffin-Lim algorithm").
///
/// Each iteration projects onto consistent spectrograms (ISTFT then STFT) and onto the target
/// magnitude (keep the phase, replace the modulus), extrapolating with momentum α:
///   c_n   = STFT(ISTFT(|S| · e^{iφ_{n-1}}))
///   t_n   = c_n + α (c_n - c_{n-1})
///   φ_n   = arg t_n
/// α = 0 is the classic algorithm; α ≈ 0.99 converges several times faster.
public struct GriffinLim: Sendable {
    public let stft: STFT
    /// Projection iterations; 32 is the floor DESIGN §4 names.
    public var iterations: Int
    /// Momentum α of the fast variant.
    public var momentum: Float
    /// Seed of the random initial phase (uniform in [0, 2π)), so output is reproducible.
    public var seed: UInt64

    public init(stft: STFT, iterations: Int = 32, momentum: Float = 0.99, seed: UInt64 = 0) {
        self.stft = stft
        self.iterations = iterations
        self.momentum = momentum
        self.seed = seed
    }

    /// Signal (length samples, default (T-1)·hop) whose STFT magnitude approximates `magnitude` (T, F).
    public func reconstruct(magnitude: [Float], frameCount: Int, length: Int? = nil) -> [Float] {
        let bins = stft.configuration.binCount
        precondition(magnitude.count == frameCount * bins)
        let outputLength = length ?? max(0, (frameCount - 1) * stft.configuration.hopLength)
        guard frameCount > 0 else { return [Float](repeating: 0, count: outputLength) }
        var generator = PhaseGenerator(seed: seed)
        var estimate = ComplexSpectrogram(frameCount: frameCount, binCount: bins,
                                          real: [Float](repeating: 0, count: magnitude.count),
                                          imag: [Float](repeating: 0, count: magnitude.count))
        for i in magnitude.indices {
            let phase = generator.nextPhase()
            estimate.real[i] = magnitude[i] * cosf(phase)
            estimate.imag[i] = magnitude[i] * sinf(phase)
        }
        var previousReal = [Float](repeating: 0, count: magnitude.count), previousImag = previousReal
        // One workspace and two buffers serve all iterations: nothing is allocated per iteration.
        let workspace = stft.makeWorkspace(frameCount: frameCount)
        var signal = [Float](repeating: 0, count: (frameCount - 1) * stft.configuration.hopLength)
        var projected = estimate
        for _ in 0..<iterations {
            stft.inverse(estimate, into: &signal, workspace: workspace)
            stft.forward(signal, into: &projected, workspace: workspace)
            project(&estimate, onto: magnitude, from: projected, previousReal: &previousReal, previousImag: &previousImag)
        }
        var output = [Float](repeating: 0, count: outputLength)
        stft.inverse(estimate, into: &output, workspace: workspace)
        return output
    }

    /// The momentum step and magnitude projection of one iteration, elementwise over (T, F):
    /// t = c + α(c − c_prev), estimate = |S| · t/|t| (|S| with phase 0 where t vanishes).
    private func project(_ estimate: inout ComplexSpectrogram, onto magnitude: [Float], from projected: ComplexSpectrogram,
                         previousReal: inout [Float], previousImag: inout [Float]) {
        let alpha = momentum
        magnitude.withUnsafeBufferPointer { target in
            projected.real.withUnsafeBufferPointer { cre in projected.imag.withUnsafeBufferPointer { cim in
                previousReal.withUnsafeMutableBufferPointer { pre in previousImag.withUnsafeMutableBufferPointer { pim in
                    estimate.real.withUnsafeMutableBufferPointer { ere in estimate.imag.withUnsafeMutableBufferPointer { eim in
                        for i in target.indices {
                            let cr = cre[i], ci = cim[i]
                            let tr = cr + alpha * (cr - pre[i]), ti = ci + alpha * (ci - pim[i])
                            pre[i] = cr; pim[i] = ci
                            let modulus = (tr * tr + ti * ti).squareRoot()
                            if modulus > 1e-12 {
                                let scale = target[i] / modulus
                                ere[i] = tr * scale; eim[i] = ti * scale
                            } else {
                                ere[i] = target[i]; eim[i] = 0
                            }
                        }
                    } }
                } }
            } }
        }
    }
}

/// SplitMix64 mapped to [0, 2π): a tiny deterministic source for initial phases.
struct PhaseGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x5851_F42D_4C95_7F2D }
    mutating func nextPhase() -> Float {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(z >> 40) / Float(1 << 24) * 2 * .pi
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
