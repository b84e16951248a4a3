/// One phone with its position in an utterance's (trimmed) audio, seconds. Stored in the engine's
/// own phone set: flite and festival write CMU/radio phones ("hh", "ax", "pau"), espeak-ng's
/// library IPA ("h", "ə", "oː"; EspeakLibrarySynthesis). espeak-ng voices built through the
/// espeak-ng program (no helper configured) have none.
public struct PhoneTiming: Codable, Equatable, Sendable {
    public var phone: String
    public var start: Double
    public var end: Double

    public init(phone: String, start: Double, end: Double) {
        self.phone = phone
        self.start = start
        self.end = end
    }

    /// Phones from a list of (phone, end time) pairs, each starting where the previous ended.
    static func fromEndTimes(_ ends: [(String, Double)]) -> [PhoneTiming] {
        var previous = 0.0
        return ends.map { phone, end in
            defer { previous = end }
            return PhoneTiming(phone: phone, start: previous, end: end)
        }
    }

    /// Timings are stored to 0.1 ms (10,000 steps per second): far finer than a 16 ms mel frame,
    /// and short JSON. Dividing by the step count (not multiplying by 1e-4) gives the double
    /// nearest the decimal, which prints as written ("0.362", not "0.36200000000000004").
    static let stepsPerSecond = 10_000.0

    static func quantized(_ seconds: Double) -> Double { (seconds * stepsPerSecond).rounded() / stepsPerSecond }

    /// Moves timings into trimmed audio that starts at `offset` s and lasts `duration` s:
    /// shifted, clipped to [0, duration], phones that fall wholly outside dropped.
    static func shifted(_ timings: [PhoneTiming], by offset: Double, duration: Double) -> [PhoneTiming] {
        timings.compactMap { timing in
            let start = quantized(min(max(timing.start - offset, 0), duration))
            let end = quantized(min(max(timing.end - offset, 0), duration))
            return end > start ? PhoneTiming(phone: timing.phone, start: start, end: end) : nil
        }
    }
}
