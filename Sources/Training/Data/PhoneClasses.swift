import Corpus

/// Classes of the auxiliary alignment head: the engine phones (flite's and festival's phone
/// sets) found in the corpus timings, sorted so the numbering is stable.
public struct PhoneClasses: Sendable {
    public let names: [String]
    private let index: [String: Int32]

    public init(names: [String]) {
        self.names = names
        index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Int32($0)) })
    }

    public init(corpus utterances: [Utterance]) {
        self.init(names: Set(utterances.flatMap { $0.timings?.map(\.phone) ?? [] }).sorted())
    }

    /// For each of `tokenCount` tokens of `secondsPerToken`, the class of the phone sounding at
    /// the token's centre, or −1 where the utterance has no timings or no phone covers it.
    public func targets(for utterance: Utterance, tokenCount: Int, secondsPerToken: Double) -> [Int32] {
        guard let timings = utterance.timings, !timings.isEmpty else { return Array(repeating: -1, count: tokenCount) }
        var out = [Int32](repeating: -1, count: tokenCount)
        var p = 0
        for i in 0..<tokenCount {
            let centre = (Double(i) + 0.5) * secondsPerToken
            while p < timings.count - 1 && timings[p].end <= centre { p += 1 }
            if timings[p].start <= centre && centre < timings[p].end { out[i] = index[timings[p].phone] ?? -1 }
        }
        return out
    }
}
