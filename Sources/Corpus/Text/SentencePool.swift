import NN

/// The corpus text: fortune sentences, split, filtered, de-duplicated, sorted, then shuffled
/// with the build seed and cut into train / validation / test by sentence.
public struct SentencePool: Sendable, Equatable, Codable {
    /// Fractions of the sentences that go to validation and test; the rest is train.
    public static let validationFraction = 0.04
    public static let testFraction = 0.06

    public var train: [String]
    public var validation: [String]
    public var test: [String]

    public init(train: [String], validation: [String], test: [String]) {
        self.train = train
        self.validation = validation
        self.test = test
    }

    public func sentences(in split: CorpusSplit) -> [String] {
        switch split {
        case .train: return train
        case .validation: return validation
        case .test: return test
        }
    }

    public var count: Int { train.count + validation.count + test.count }

    /// Reads, cleans and splits the fortune text. Deterministic for (files, filter, seed).
    public static func build(source: FortuneSource, filter: SentenceFilter = SentenceFilter(), seed: UInt64) throws -> SentencePool {
        try build(entries: source.entries(), filter: filter, seed: seed)
    }

    public static func build(entries: [String], filter: SentenceFilter = SentenceFilter(), seed: UInt64) throws -> SentencePool {
        var byKey: [String: String] = [:]
        for entry in entries {
            for sentence in SentenceSplitter.sentences(in: entry) where filter.accepts(sentence) {
                let key = SentenceFilter.deduplicationKey(sentence)
                // Keep the lexicographically first spelling, so the choice does not depend on file order.
                if let kept = byKey[key], kept <= sentence { continue }
                byKey[key] = sentence
            }
        }
        var sentences = byKey.values.sorted()
        guard sentences.count >= 10 else {
            throw CorpusError.notEnoughText(reason: "only \(sentences.count) usable sentences in the fortune files")
        }
        var rng = RNG(seed: seed ^ Self.shuffleSalt)
        rng.shuffle(&sentences)
        let testCount = max(1, Int(Double(sentences.count) * testFraction))
        let validationCount = max(1, Int(Double(sentences.count) * validationFraction))
        return SentencePool(train: Array(sentences[(testCount + validationCount)...]),
                            validation: Array(sentences[testCount..<(testCount + validationCount)]),
                            test: Array(sentences[..<testCount]))
    }

    /// Separates this RNG stream from the other uses of the build seed.
    static let shuffleSalt: UInt64 = 0x5E17_E4CE
}
