import Foundation

/// A complex spectrogram, shapes (T, F) row-major: T frames, F = n_fft/2 + 1 bins.
public struct ComplexSpectrogram: Sendable, Equatable {
    public var frameCount: Int
    public var binCount: Int
    /// Re X[t, f], (T, F).
    public var real: [Float]
    /// Im X[t, f], (T, F).
    public var imag: [Float]

    public init(frameCount: Int, binCount: Int, real: [Float], imag: [Float]) {
        precondition(real.count == frameCount * binCount && imag.count == real.count)
        self.frameCount = frameCount
        self.binCount = binCount
        self.real = real
        self.imag = imag
    }

    /// |X[t, f]|, (T, F).
    public var magnitude: [Float] { zip(real, imag).map { ($0 * $0 + $1 * $1).squareRoot() } }
}

/// Short-time Fourier transform with a periodic Hann window, centred frames (the signal is
/// reflect-padded by n_fft/2 at both ends, so frame t is centred on sample t·hop), and its
/// inverse by weighted overlap-add:
///
///   X[t, f] = Σ_n w[n] x[t·hop + n - n_fft/2] e^{-2πi f n / n_fft}
///   y[m]    = Σ_t w[m - t·hop] IFFT(X[t])[m - t·hop] / Σ_t w²[m - t·hop]
///
/// which is the least-squares signal for a (possibly inconsistent) spectrogram (Griffin & Lim).
/// Buffers are allocated once per call, never per frame. Immutable, so shareable across threads.
public struct STFT: Sendable {
    public let configuration: SpectralConfiguration
    public let fft: RealFFT
    /// Periodic Hann window w[n] = 0.5 - 0.5 cos(2πn / n_fft), (n_fft,).
    public let window: [Float]

    public init(configuration: SpectralConfiguration = .standard) {
        self.configuration = configuration
        fft = RealFFT(count: configuration.fftSize)
        let n = configuration.fftSize
        window = (0..<n).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n))) }
    }

    /// Complex STFT of `signal` (N,) -> (T, F) with T = 1 + N / hop.
    public func forward(_ signal: [Float]) -> ComplexSpectrogram {
        let n = configuration.fftSize, hop = configuration.hopLength, bins = configuration.binCount
        let frames = configuration.frameCount(sampleCount: signal.count)
        var real = [Float](repeating: 0, count: frames * bins), imag = real
        let padded = Self.reflectPad(signal, by: n / 2)
        var frame = [Float](repeating: 0, count: n)
        padded.withUnsafeBufferPointer { source in
            window.withUnsafeBufferPointer { w in
                frame.withUnsafeMutableBufferPointer { buffer in
                    real.withUnsafeMutableBufferPointer { re in
                        imag.withUnsafeMutableBufferPointer { im in
                            for t in 0..<frames {
                                let start = t * hop
                                for i in 0..<n { buffer[i] = source[start + i] * w[i] }
                                fft.forward(UnsafeBufferPointer(buffer),
                                            real: UnsafeMutableBufferPointer(rebasing: re[(t * bins)..<((t + 1) * bins)]),
                                            imag: UnsafeMutableBufferPointer(rebasing: im[(t * bins)..<((t + 1) * bins)]))
                            }
                        }
                    }
                }
            }
        }
        return ComplexSpectrogram(frameCount: frames, binCount: bins, real: real, imag: imag)
    }

    /// Inverse STFT by windowed overlap-add; returns `length` samples (default (T-1)·hop).
    public func inverse(_ spectrogram: ComplexSpectrogram, length: Int? = nil) -> [Float] {
        let n = configuration.fftSize, hop = configuration.hopLength, bins = configuration.binCount
        precondition(spectrogram.binCount == bins, "spectrogram has \(spectrogram.binCount) bins, STFT expects \(bins)")
        let frames = spectrogram.frameCount
        let outputLength = length ?? max(0, (frames - 1) * hop)
        let paddedLength = max(n + (frames - 1) * hop, outputLength + n)
        var sum = [Float](repeating: 0, count: paddedLength)
        var weight = [Float](repeating: 0, count: paddedLength)
        var re = [Float](repeating: 0, count: bins), im = re, frame = [Float](repeating: 0, count: n)
        spectrogram.real.withUnsafeBufferPointer { sourceRe in
            spectrogram.imag.withUnsafeBufferPointer { sourceIm in
                window.withUnsafeBufferPointer { w in
                    sum.withUnsafeMutableBufferPointer { y in
                        weight.withUnsafeMutableBufferPointer { wsum in
                            re.withUnsafeMutableBufferPointer { r in
                                im.withUnsafeMutableBufferPointer { i in
                                    frame.withUnsafeMutableBufferPointer { buffer in
                                        for t in 0..<frames {
                                            for f in 0..<bins { r[f] = sourceRe[t * bins + f]; i[f] = sourceIm[t * bins + f] }
                                            fft.inverse(real: r, imag: i, output: buffer)
                                            let start = t * hop
                                            for k in 0..<n {
                                                y[start + k] += buffer[k] * w[k]
                                                wsum[start + k] += w[k] * w[k]
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // Where the window sum is ~0 (only the outermost padded samples) there is no information.
        var output = [Float](repeating: 0, count: outputLength)
        let offset = n / 2
        for m in 0..<outputLength where offset + m < paddedLength {
            let total = weight[offset + m]
            output[m] = total > 1e-8 ? sum[offset + m] / total : 0
        }
        return output
    }

    /// x reflected about its end samples (numpy's "reflect": x[1], x[0] | x | x[N-2]), repeatedly
    /// if `amount` exceeds the signal; a one-sample signal is repeated, an empty one gives zeros.
    static func reflectPad(_ x: [Float], by amount: Int) -> [Float] {
        let count = x.count
        guard count > 1 else { return [Float](repeating: count == 1 ? x[0] : 0, count: count + 2 * amount) }
        let period = 2 * (count - 1)
        return (-amount..<(count + amount)).map { index in
            var i = index % period
            if i < 0 { i += period }
            return x[i < count ? i : period - i]
        }
    }
}
