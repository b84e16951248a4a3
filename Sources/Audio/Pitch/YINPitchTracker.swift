/// YIN fundamental-frequency estimator with a voicing decision.
///
/// Reference: A. de Cheveigné and H. Kawahara, "YIN, a fundamental frequency estimator for
/// speech and music", J. Acoust. Soc. Am. 111(4), 2002. Helpers are named after its steps:
///   step 2  difference function     d(τ)  = Σ_{j=0}^{W-1} (x_j - x_{j+τ})²
///   step 3  cumulative mean normalised difference
///                                   d'(0) = 1,  d'(τ) = d(τ) / ((1/τ) Σ_{j=1}^{τ} d(j))
///   step 4  absolute threshold      the smallest τ in [τmin, τmax] with d'(τ) < threshold, then
///                                   the bottom of that dip; the global minimum if none qualifies
///   step 5  parabolic interpolation of d' around the chosen τ, for sub-sample period accuracy
/// Step 6 (best local estimate) is left out: with 10 ms hops, neighbouring frames already overlap.
/// A frame is voiced when d'(τ*) < voicingThreshold and its RMS clears the silence gates.
///
/// Step 2 is computed as d(τ) = e(0) + e(τ) - 2 r(τ), with energies e from prefix sums and the
/// cross-correlation r by FFT; `differenceFunctionReference` is the plain O(W·τmax) sum.
public struct YINPitchTracker: Sendable {
    public let configuration: PitchTrackerConfiguration
    /// FFT length of the cross-correlation: a power of two ≥ W + τmax.
    private let fftSize: Int

    public init(configuration: PitchTrackerConfiguration = .standard) {
        self.configuration = configuration
        let span = configuration.integrationWindow + configuration.maximumLag
        var size = 4
        while size < span { size *= 2 }  // linear (not circular) correlation needs ≥ W + τmax
        fftSize = size
    }

    /// Tracks `samples` (N,) at the configured rate -> T = 1 + N / hop frames.
    public func track(_ samples: [Float]) -> PitchTrack {
        let hop = configuration.hopLength, window = configuration.integrationWindow
        let maxLag = configuration.maximumLag, span = window + maxLag
        let frames = 1 + samples.count / hop
        // Zero padding so frame t's span [t·hop - span/2, t·hop + span/2) is always in range.
        let padding = span / 2 + 1
        var padded = [Float](repeating: 0, count: samples.count + 2 * padding + span)
        for (i, value) in lowPassed(samples).enumerated() { padded[padding + i] = value }
        // prefix[i] = Σ_{j<i} x_j², in Double: long sums of squares lose nothing.
        var prefix = [Double](repeating: 0, count: padded.count + 1)
        for i in padded.indices { prefix[i + 1] = prefix[i] + Double(padded[i]) * Double(padded[i]) }

        var frequencies = [Float](repeating: 0, count: frames)
        var aperiodicity = [Float](repeating: 1, count: frames)
        var rms = [Float](repeating: 0, count: frames)
        var difference = [Float](repeating: 0, count: maxLag + 1)      // d(τ), (τmax+1,)
        var normalised = [Float](repeating: 1, count: maxLag + 1)      // d'(τ), (τmax+1,)
        var workspace = CorrelationWorkspace(size: fftSize)
        for t in 0..<frames {
            let start = padding + t * hop - span / 2
            rms[t] = Float(((prefix[start + span] - prefix[start]) / Double(span)).squareRoot())
            differenceFunction(padded, start: start, prefix: prefix, workspace: &workspace, into: &difference)
            cumulativeMeanNormalisedDifference(difference, into: &normalised)
            let (lag, dip) = absoluteThresholdLag(normalised)
            frequencies[t] = Float(Double(configuration.sampleRate) / parabolicInterpolation(normalised, at: lag))
            aperiodicity[t] = dip
        }
        let voiced = voicingDecision(aperiodicity: aperiodicity, rms: rms)
        return PitchTrack(hopSeconds: configuration.hopSeconds, frequencies: frequencies,
                          voiced: voiced, aperiodicity: aperiodicity)
    }

    /// The pre-filter of `PitchTrackerConfiguration.lowPassCutoff`, zero-phase so F0 timing is kept.
    func lowPassed(_ samples: [Float]) -> [Float] {
        guard configuration.lowPassCutoff > 0, samples.count > 1 else { return samples }
        let section = Biquad.butterworthLowPass(cutoff: configuration.lowPassCutoff,
                                                sampleRate: Double(configuration.sampleRate))
        let padding = Int(Double(configuration.sampleRate) / configuration.lowPassCutoff) * 4
        return Biquad.filtfilt(samples.map(Double.init), sections: [section], padding: padding).map(Float.init)
    }

    /// Step 2 via FFT: d(τ) = e(0) + e(τ) - 2 r(τ), τ = 0...τmax, where e(τ) = Σ_{j<W} x²_{j+τ}
    /// and r(τ) = Σ_{j<W} x_j x_{j+τ} = IFFT(conj FFT(x[0..<W]) · FFT(x[0..<W+τmax]))[τ].
    func differenceFunction(_ x: [Float], start: Int, prefix: [Double],
                            workspace: inout CorrelationWorkspace, into d: inout [Float]) {
        let window = configuration.integrationWindow, maxLag = configuration.maximumLag
        workspace.crossCorrelate(x, start: start, window: window, span: window + maxLag)
        let energyAtZero = prefix[start + window] - prefix[start]
        for tau in 0...maxLag {
            let energyAtTau = prefix[start + tau + window] - prefix[start + tau]
            d[tau] = Float(max(0, energyAtZero + energyAtTau - 2 * Double(workspace.correlation[tau])))
        }
    }

    /// Step 3: d'(τ) = d(τ) · τ / Σ_{j=1}^{τ} d(j), d'(0) = 1. A zero running sum (digital
    /// silence) gives d' = 1, "no periodicity", rather than 0/0.
    func cumulativeMeanNormalisedDifference(_ d: [Float], into normalised: inout [Float]) {
        normalised[0] = 1
        var runningSum: Float = 0
        for tau in 1..<d.count {
            runningSum += d[tau]
            normalised[tau] = runningSum > 1e-12 ? d[tau] * Float(tau) / runningSum : 1
        }
    }

    /// Step 4: the first lag in [τmin, τmax] whose d' dips below the absolute threshold, moved
    /// to the bottom of that dip; the global minimum when no dip qualifies. Returns (τ, d'(τ)).
    func absoluteThresholdLag(_ normalised: [Float]) -> (lag: Int, value: Float) {
        let low = configuration.minimumLag, high = configuration.maximumLag
        var tau = low
        while tau <= high {
            if normalised[tau] < configuration.absoluteThreshold {
                while tau + 1 <= high && normalised[tau + 1] < normalised[tau] { tau += 1 }
                return (tau, normalised[tau])
            }
            tau += 1
        }
        var best = low
        for candidate in low...high where normalised[candidate] < normalised[best] { best = candidate }
        return (best, normalised[best])
    }

    /// Step 5: vertex of the parabola through (τ-1, τ, τ+1) on d'; the lag itself at the edges.
    func parabolicInterpolation(_ normalised: [Float], at tau: Int) -> Double {
        guard tau > 0, tau + 1 < normalised.count else { return Double(tau) }
        let left = Double(normalised[tau - 1]), centre = Double(normalised[tau]), right = Double(normalised[tau + 1])
        let curvature = left - 2 * centre + right
        guard curvature > 1e-12 else { return Double(tau) }
        let shift = 0.5 * (left - right) / curvature
        return Double(tau) + min(max(shift, -1), 1)
    }

    /// Voiced = periodic enough and loud enough, relative to the loudest frame and absolutely.
    func voicingDecision(aperiodicity: [Float], rms: [Float]) -> [Bool] {
        let loudest = rms.max() ?? 0
        let relativeGate = loudest * powf(10, -configuration.silenceThresholdDecibels / 20)
        let gate = max(relativeGate, configuration.absoluteSilenceRMS)
        return zip(aperiodicity, rms).map { $0 < configuration.voicingThreshold && $1 >= gate }
    }

    /// The plain O(W·τmax) difference function of step 2, for tests.
    static func differenceFunctionReference(_ x: [Float], start: Int, window: Int, maxLag: Int) -> [Float] {
        (0...maxLag).map { tau in
            var total = 0.0
            for j in 0..<window {
                let delta = Double(x[start + j]) - Double(x[start + j + tau])
                total += delta * delta
            }
            return Float(total)
        }
    }
}

/// FFT buffers for YIN's cross-correlation, allocated once per `track` call. Frame 0 holds the
/// integration window, frame 1 the whole span; one batched call transforms both.
struct CorrelationWorkspace {
    private let transforms: FrameTransforms
    /// r(τ) for τ = 0..<size after `crossCorrelate`.
    private(set) var correlation: [Float]

    init(size: Int) {
        transforms = FrameTransforms(frameCount: 2, size: size)
        correlation = [Float](repeating: 0, count: size)
    }

    /// correlation[τ] = Σ_{j<window} x[start+j] x[start+j+τ], exact (no wrap) for τ ≤ span - window.
    mutating func crossCorrelate(_ x: [Float], start: Int, window: Int, span: Int) {
        let n = transforms.size, bins = transforms.binCount
        let frames = transforms.frames, spectra = transforms.spectra, spanSpectrum = spectra + 2 * bins
        x.withUnsafeBufferPointer { source in
            for i in 0..<n {
                frames[i] = i < window ? source[start + i] : 0
                frames[n + i] = i < span ? source[start + i] : 0
            }
        }
        transforms.forward()
        // conj(A) · B into frame 0's spectrum; frame 1's inverse is computed and not read.
        for k in 0..<bins {
            let ar = spectra[2 * k], ai = spectra[2 * k + 1], br = spanSpectrum[2 * k], bi = spanSpectrum[2 * k + 1]
            spectra[2 * k] = ar * br + ai * bi
            spectra[2 * k + 1] = ar * bi - ai * br
        }
        transforms.inverseUnnormalised()
        let scale = 1 / Float(n)
        correlation.withUnsafeMutableBufferPointer { r in
            for i in 0..<n { r[i] = frames[i] * scale }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
