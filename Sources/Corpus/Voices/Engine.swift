/// The speech engines the corpus is synthesised with, all Debian packages run as subprocesses.
public enum Engine: String, Codable, CaseIterable, Sendable, Comparable {
    /// espeak-ng: formant synthesis, many accents and voice variants, very fast.
    case espeak
    /// flite: CMU's small engine (diphone kal, clustergen awb/rms/slt), fast.
    case flite
    /// festival: diphone and HTS voices, slowest (start-up dominates short sentences).
    case festival

    public static func < (a: Engine, b: Engine) -> Bool { a.rawValue < b.rawValue }
}
