import ARDM

/// One request's sampling settings, checked against the config's limits and `SamplingRanges`
/// (422 naming the field when out of range; NaN and infinities never pass). They travel with
/// the job to the scheduler and are never written into shared state.
struct SynthesisParameters: Sendable {
    var options: SamplingOptions
    var seed: UInt64
    var maxSeconds: Double
    /// How far the audio is moved toward the prompt's average spectrum (`TimbreMatch`).
    var timbreMatch: Float

    init(seed: UInt64?, steps: Int?, cfg: Double?, voiceScale: Double? = nil, temperature: Double?, maxSeconds: Double?,
         timbreMatch: Double? = nil,
         limits: ServerConfig.Limits) throws {
        let defaults = SamplingOptions.serving
        // The default never exceeds the configured limit, so an omitted field is always valid.
        let steps = steps ?? min(defaults.steps, limits.maxSteps)
        guard (1...limits.maxSteps).contains(steps) else {
            throw APIError.unprocessable("steps: must be within 1...\(limits.maxSteps), got \(steps)", code: "invalid_steps")
        }
        let cfg = try Self.check(cfg ?? Double(defaults.cfg), field: "cfg", in: SamplingRanges.cfg)
        let voiceScale = try Self.check(voiceScale ?? Double(defaults.voiceScale), field: "voice_scale",
                                        in: SamplingRanges.voiceScale)
        let temperature = try Self.check(temperature ?? Double(defaults.temperature), field: "temperature",
                                         in: SamplingRanges.temperature)
        let timbreMatch = try Self.check(timbreMatch ?? Double(TimbreMatch.serving), field: "timbre_match",
                                         in: SamplingRanges.timbreMatch)
        let maxSeconds = maxSeconds ?? limits.maxAudioSeconds
        guard maxSeconds.isFinite, maxSeconds > 0, maxSeconds <= limits.maxAudioSeconds else {
            throw APIError.unprocessable("max_seconds: must be above 0 and at most \(limits.maxAudioSeconds), got \(maxSeconds)",
                                         code: "invalid_max_seconds")
        }
        options = SamplingOptions(steps: steps, cfg: Float(cfg), temperature: Float(temperature),
                                  stopThreshold: defaults.stopThreshold, voiceScale: Float(voiceScale))
        self.seed = seed ?? UInt64.random(in: 0...UInt64.max)
        self.maxSeconds = maxSeconds
        self.timbreMatch = Float(timbreMatch)
    }

    /// `value` if finite and within `range`, else 422 naming `field`.
    static func check(_ value: Double, field: String, in range: ClosedRange<Double>) throws -> Double {
        guard value.isFinite, range.contains(value) else {
            throw APIError.unprocessable(
                "\(field): must be a finite number within \(range.lowerBound)...\(range.upperBound), got \(value)",
                code: "invalid_\(field)")
        }
        return value
    }
}
