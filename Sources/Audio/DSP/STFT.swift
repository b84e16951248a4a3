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
/// All frames go through FFTW at once (`FrameTransforms`); callers that transform many times
/// at one frame count (Griffin-Lim) keep a `Workspace` and allocate nothing per call.
/// Immutable, so shareable across threads.
public struct STFT: Sendable {
    public let configuration: SpectralConfiguration
    /// Periodic Hann window w[n] = 0.5 - 0.5 cos(2πn / n_fft), (n_fft,).
    public let window: [Float]

    public init(configuration: SpectralConfiguration = .standard) {
        self.configuration = configuration
        let n = configuration.fftSize
        window = (0..<n).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n))) }
    }

    /// The buffers of STFTs with `frameCount` frames: batched FFTs, the overlap-add sum over the
    /// padded signal and 1/Σ_t w² there (0 where the window sum is ~0: only the outermost padded
    /// samples, which carry no information).
    final class Workspace {
        let transforms: FrameTransforms
        var overlapSum: [Float]          // (n_fft + (T-1)·hop,)
        let inverseWindowSum: [Float]    // (n_fft + (T-1)·hop,)

        init(stft: STFT, frameCount: Int) {
            let n = stft.configuration.fftSize, hop = stft.configuration.hopLength
            transforms = FrameTransforms(frameCount: frameCount, size: n)
            let paddedLength = n + (frameCount - 1) * hop
            var windowSum = [Float](repeating: 0, count: paddedLength)
            for t in 0..<frameCount { for k in 0..<n { windowSum[t * hop + k] += stft.window[k] * stft.window[k] } }
            inverseWindowSum = windowSum.map { $0 > 1e-8 ? 1 / $0 : 0 }
            overlapSum = [Float](repeating: 0, count: paddedLength)
        }
    }

    func makeWorkspace(frameCount: Int) -> Workspace { Workspace(stft: self, frameCount: frameCount) }

    /// Complex STFT of `signal` (N,) -> (T, F) with T = 1 + N / hop.
    public func forward(_ signal: [Float]) -> ComplexSpectrogram {
        let frames = configuration.frameCount(sampleCount: signal.count), bins = configuration.binCount
        var spectrogram = ComplexSpectrogram(frameCount: frames, binCount: bins, real: [Float](repeating: 0, count: frames * bins),
                                             imag: [Float](repeating: 0, count: frames * bins))
        forward(signal, into: &spectrogram, workspace: makeWorkspace(frameCount: frames))
        return spectrogram
    }

    /// Inverse STFT by windowed overlap-add; returns `length` samples (default (T-1)·hop).
    public func inverse(_ spectrogram: ComplexSpectrogram, length: Int? = nil) -> [Float] {
        var output = [Float](repeating: 0, count: length ?? max(0, (spectrogram.frameCount - 1) * configuration.hopLength))
        guard spectrogram.frameCount > 0 else { return output }   // no frames, no signal
        inverse(spectrogram, into: &output, workspace: makeWorkspace(frameCount: spectrogram.frameCount))
        return output
    }

    /// `spectrogram` (T, F) = STFT(signal); T must be 1 + signal.count / hop and the workspace's.
    func forward(_ signal: [Float], into spectrogram: inout ComplexSpectrogram, workspace: Workspace) {
        let n = configuration.fftSize, hop = configuration.hopLength, bins = configuration.binCount
        let frames = configuration.frameCount(sampleCount: signal.count)
        let transforms = workspace.transforms
        precondition(spectrogram.frameCount == frames && spectrogram.binCount == bins && transforms.frameCount == frames)
        let x = transforms.frames, spectra = transforms.spectra
        signal.withUnsafeBufferPointer { source in
            window.withUnsafeBufferPointer { w in
                for t in 0..<frames {
                    let origin = t * hop - n / 2, row = x + t * n
                    if origin >= 0 && origin + n <= source.count {
                        for i in 0..<n { row[i] = source[origin + i] * w[i] }
                    } else {
                        for i in 0..<n { row[i] = Self.reflected(source, at: origin + i) * w[i] }
                    }
                }
            }
        }
        transforms.forward()
        spectrogram.real.withUnsafeMutableBufferPointer { re in
            spectrogram.imag.withUnsafeMutableBufferPointer { im in
                for j in 0..<(frames * bins) {
                    re[j] = spectra[2 * j]
                    im[j] = spectra[2 * j + 1]
                }
            }
        }
    }

    /// `output` = the first output.count samples of ISTFT(spectrogram), whose frame count must
    /// be the workspace's.
    func inverse(_ spectrogram: ComplexSpectrogram, into output: inout [Float], workspace: Workspace) {
        let n = configuration.fftSize, hop = configuration.hopLength, bins = configuration.binCount
        let transforms = workspace.transforms, frames = spectrogram.frameCount
        precondition(spectrogram.binCount == bins, "spectrogram has \(spectrogram.binCount) bins, STFT expects \(bins)")
        precondition(transforms.frameCount == frames)
        let x = transforms.frames, spectra = transforms.spectra
        spectrogram.real.withUnsafeBufferPointer { re in
            spectrogram.imag.withUnsafeBufferPointer { im in
                for j in 0..<(frames * bins) {
                    spectra[2 * j] = re[j]
                    spectra[2 * j + 1] = im[j]
                }
            }
        }
        transforms.inverseUnnormalised()
        let scale = 1 / Float(n)   // FFTW's inverse is unnormalised
        let offset = n / 2
        workspace.overlapSum.withUnsafeMutableBufferPointer { y in
            for m in y.indices { y[m] = 0 }
            window.withUnsafeBufferPointer { w in
                for t in 0..<frames {
                    let start = t * hop, row = x + t * n
                    for k in 0..<n { y[start + k] += row[k] * w[k] }
                }
            }
            workspace.inverseWindowSum.withUnsafeBufferPointer { inverseSum in
                output.withUnsafeMutableBufferPointer { out in
                    for m in out.indices {
                        out[m] = offset + m < y.count ? y[offset + m] * inverseSum[offset + m] * scale : 0
                    }
                }
            }
        }
    }

    /// x[i] of the signal reflected about its end samples (numpy's "reflect"), repeatedly if
    /// `index` lies beyond one reflection; a one-sample signal is repeated, an empty one is 0.
    static func reflected(_ x: UnsafeBufferPointer<Float>, at index: Int) -> Float {
        let count = x.count
        guard count > 1 else { return count == 1 ? x[0] : 0 }
        let period = 2 * (count - 1)
        var i = index % period
        if i < 0 { i += period }
        return x[i < count ? i : period - i]
    }
}
