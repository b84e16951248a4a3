/// The F0-variance reward of the paper's Task A (DESIGN §8): how much the pitch moves at the
/// phrase level, in Hz.
///
///   1. F0 of voiced frames (YIN, 10 ms hop, 50-500 Hz); voiced runs shorter than
///      `minimumVoicedRun` frames are dropped as spurious (plosive bursts, noise), and so are
///      frames more than `octaveErrorLimit` octaves from the utterance's median voiced F0.
///   2. Leading and trailing unvoiced frames are cut; interior gaps are bridged by linear
///      interpolation of log F0 (a constant rate in semitones per second: pitch moves
///      geometrically, and across a pause the contour glides in log frequency).
///   3. The bridged contour, in Hz, is band-passed with `band` (zero-phase Butterworth).
///   4. Reward = standard deviation (Hz) of the filtered contour.
public struct F0VarianceReward: Sendable {
    /// Pass band of the contour filter, Hz of contour modulation (the contour is sampled at 100 Hz).
    /// Lower edge 0.2 Hz: motion slower than one cycle per 5 s is the speaker's register or a
    /// whole-utterance drift, not intonation; with the mean, it is voice identity, which F0V
    /// must not reward. Upper edge 5 Hz: English runs at 4-5 syllables/s; faster motion is
    /// jitter, micro-prosody at consonant boundaries and tracker noise, not intonation.
    public static let band: ClosedRange<Double> = 0.2...5
    /// Voiced runs shorter than this many frames (30 ms) are treated as unvoiced.
    public static let minimumVoicedRun = 3
    /// Frames further than this from the median voiced F0, octaves, are tracker errors. Every
    /// tracker's commonest failure is an octave jump (F0 doubled or halved), and the cap keeps a
    /// policy from raising its reward by provoking such errors (creak, period doubling, a weak
    /// fundamental) instead of by intonation. It sits below one octave because a doubled frame
    /// of a contour that moves lands anywhere from ~1.7× to ~2.3× the median: with a 1-octave cap
    /// half of them counted. Measured with this tracker: on 150 corpus utterances 0.08% of voiced
    /// frames lie 0.7-1 octave from the median (intonation rarely goes there), on samples of the
    /// base model at T = 1 1.4%, nearly all at 0.8-1 octave, i.e. doubling errors.
    public static let octaveErrorLimit = 0.7
    /// Fewer voiced frames than this (100 ms) carry no contour: the reward is 0.
    public static let minimumVoicedFrames = 10
    /// Mirror-reflection padding of the contour before filtering, frames (1 s): the high-pass's
    /// time constant at 0.2 Hz is ~0.8 s, so this absorbs most of the edge transient.
    public static let filterPaddingFrames = 100

    public let tracker: YINPitchTracker

    public init(tracker: YINPitchTracker = YINPitchTracker()) { self.tracker = tracker }

    /// F0V of mono audio at the tracker's sample rate.
    public func callAsFunction(_ samples: [Float]) -> F0VarianceResult {
        evaluate(tracker.track(samples))
    }

    /// F0V of an existing pitch track.
    public func evaluate(_ track: PitchTrack) -> F0VarianceResult {
        let voiced = Self.cleanVoicing(frequencies: track.frequencies, voiced: track.voiced)
        let voicedValues = zip(track.frequencies, voiced).filter { $0.1 }.map { Double($0.0) }
        let mean = voicedValues.isEmpty ? nil : voicedValues.reduce(0, +) / Double(voicedValues.count)
        guard voicedValues.count >= Self.minimumVoicedFrames,
              let contour = Self.bridgeGaps(frequencies: track.frequencies, voiced: voiced) else {
            return F0VarianceResult(f0VarianceHz: 0, meanF0Hz: mean, voicedFrames: voicedValues.count,
                                    frameCount: track.frameCount)
        }
        let filtered = Self.bandPass(contour, frameRate: 1 / track.hopSeconds)
        return F0VarianceResult(f0VarianceHz: Self.standardDeviation(filtered), meanF0Hz: mean,
                                voicedFrames: voicedValues.count, frameCount: track.frameCount)
    }

    /// Step 1's cleaning: short runs out, octave errors out, then short runs out again.
    static func cleanVoicing(frequencies: [Float], voiced: [Bool]) -> [Bool] {
        var flags = removeShortRuns(voiced, minimumLength: minimumVoicedRun)
        let values = zip(frequencies, flags).filter { $0.1 }.map { Double($0.0) }.sorted()
        guard !values.isEmpty else { return flags }
        let median = values.count % 2 == 1 ? values[values.count / 2]
            : 0.5 * (values[values.count / 2 - 1] + values[values.count / 2])
        for t in flags.indices where flags[t] && abs(log2(Double(frequencies[t]) / median)) > octaveErrorLimit {
            flags[t] = false
        }
        return removeShortRuns(flags, minimumLength: minimumVoicedRun)
    }

    /// Runs of `true` shorter than `minimumLength` become `false`.
    static func removeShortRuns(_ flags: [Bool], minimumLength: Int) -> [Bool] {
        var result = flags
        var start = 0
        while start < flags.count {
            guard flags[start] else { start += 1; continue }
            var end = start
            while end < flags.count && flags[end] { end += 1 }
            if end - start < minimumLength { for i in start..<end { result[i] = false } }
            start = end
        }
        return result
    }

    /// Contour from the first to the last voiced frame, gaps filled by linear interpolation
    /// in log F0; nil when nothing is voiced.
    static func bridgeGaps(frequencies: [Float], voiced: [Bool]) -> [Double]? {
        guard let first = voiced.firstIndex(of: true), let last = voiced.lastIndex(of: true) else { return nil }
        var contour = [Double](repeating: 0, count: last - first + 1)
        var previous = first
        for t in first...last where voiced[t] {
            let logHere = log(Double(frequencies[t])), logBefore = log(Double(frequencies[previous]))
            if t > previous + 1 {
                for gap in (previous + 1)..<t {
                    let fraction = Double(gap - previous) / Double(t - previous)
                    contour[gap - first] = exp(logBefore + fraction * (logHere - logBefore))
                }
            }
            contour[t - first] = Double(frequencies[t])
            previous = t
        }
        return contour
    }

    /// Zero-phase band-pass of a contour sampled at `frameRate` Hz: the mean is removed, then a
    /// 2nd-order Butterworth low-pass and high-pass run forward and backward (|H|², 4th-order
    /// slopes, -6 dB at the band edges). The low-pass runs first so that the high-pass, whose
    /// state starts at steady state for the first sample, starts from a smooth value rather
    /// than from a jittery one (its 0.8 s time constant would carry that offset far inside).
    static func bandPass(_ contour: [Double], frameRate: Double) -> [Double] {
        let mean = contour.reduce(0, +) / Double(contour.count)
        let centred = contour.map { $0 - mean }
        let sections = [Biquad.butterworthLowPass(cutoff: band.upperBound, sampleRate: frameRate),
                        Biquad.butterworthHighPass(cutoff: band.lowerBound, sampleRate: frameRate)]
        return Biquad.filtfilt(centred, sections: sections, padding: filterPaddingFrames)
    }

    /// Population standard deviation.
    static func standardDeviation(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
    }
}

/// The reward and what it was computed from.
public struct F0VarianceResult: Sendable, Equatable, Codable {
    /// The reward: std of the band-passed F0 contour, Hz. 0 when fewer than
    /// `F0VarianceReward.minimumVoicedFrames` frames are voiced.
    public var f0VarianceHz: Double
    /// Mean F0 of the voiced frames, Hz; nil when none are voiced.
    public var meanF0Hz: Double?
    public var voicedFrames: Int
    public var frameCount: Int
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
