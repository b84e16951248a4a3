/// A monotonic attention window for alignment heads at decoding time: a decoded speech token's
/// alignment head sees only text positions `peak − back ... peak + ahead`, where `peak` is
/// where that head looked for the previous token (Tachibana et al.'s forced incremental
/// attention, DC-TTS §4.2). It keeps a free-running sequence from jumping back to text it has
/// spoken or skipping ahead past text it has not; the first decoded token sees all the text.
public struct AlignmentWindow: Sendable, Codable, Equatable {
    public var back: Int
    public var ahead: Int

    public init(back: Int, ahead: Int) {
        precondition(back >= 0 && ahead >= 0, "an alignment window needs back and ahead ≥ 0")
        self.back = back; self.ahead = ahead
    }
}
