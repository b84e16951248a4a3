import CFFTW

/// The real FFTs of T frames of N samples each, all frames in one FFTW call, on buffers this
/// object owns. FFTW's batched plans over SIMD-aligned memory (fftwf_malloc) run its vector
/// kernels, several times faster than one transform at a time on arbitrary caller buffers; the
/// STFT, and Griffin-Lim's 64 STFTs per clip, go through here.
///
/// Made for one frame count and reused while it does not change. Not shareable between threads
/// (the buffers are its state); one per call or per worker.
final class FrameTransforms {
    let frameCount: Int
    /// Frame length N (real samples), a power of two.
    let size: Int
    /// Bins per frame, N/2 + 1.
    let binCount: Int

    /// Time-domain frames, (T, N).
    let frames: UnsafeMutablePointer<Float>
    /// Spectra, (T, N/2+1) complex, interleaved (re, im).
    let spectra: UnsafeMutablePointer<Float>

    private let forwardPlan: fftwf_plan
    private let inversePlan: fftwf_plan

    init(frameCount: Int, size: Int) {
        precondition(frameCount > 0 && size >= 4 && size & (size - 1) == 0)
        self.frameCount = frameCount
        self.size = size
        let bins = size / 2 + 1
        binCount = bins
        let frames = fftwf_alloc_real(frameCount * size)!
        let complex = fftwf_alloc_complex(frameCount * bins)!
        self.frames = frames
        spectra = UnsafeMutableRawPointer(complex).bindMemory(to: Float.self, capacity: 2 * frameCount * bins)
        var length = Int32(size)
        let (t, n, f) = (Int32(frameCount), Int32(size), Int32(bins))
        (forwardPlan, inversePlan) = FFTWPlanner.serialized {
            (fftwf_plan_many_dft_r2c(1, &length, t, frames, nil, 1, n, complex, nil, 1, f, UInt32(FFTW_ESTIMATE))!,
             fftwf_plan_many_dft_c2r(1, &length, t, complex, nil, 1, f, frames, nil, 1, n,
                                     UInt32(FFTW_ESTIMATE) | UInt32(FFTW_DESTROY_INPUT))!)
        }
    }

    deinit {
        FFTWPlanner.serialized {
            fftwf_destroy_plan(forwardPlan)
            fftwf_destroy_plan(inversePlan)
        }
        fftwf_free(frames)
        fftwf_free(spectra)
    }

    /// spectra[t] = FFT(frames[t]) for every frame; frames are kept.
    func forward() {
        fftwf_execute(forwardPlan)
    }

    /// frames[t] = N · IFFT(spectra[t]) (unnormalised, FFTW's convention) for every frame;
    /// spectra are overwritten. The imaginary parts of the DC and Nyquist bins are ignored.
    func inverseUnnormalised() {
        for t in 0..<frameCount {
            spectra[2 * t * binCount + 1] = 0
            spectra[2 * (t * binCount + binCount - 1) + 1] = 0
        }
        fftwf_execute(inversePlan)
    }
}
