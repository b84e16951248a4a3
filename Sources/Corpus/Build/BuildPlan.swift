import Foundation
import NN
import Text

/// One utterance to synthesise: which sentence, by which voice, under which id.
public struct PlannedUtterance: Codable, Equatable, Sendable {
    public var id: String
    public var split: CorpusSplit
    public var text: String
    public var phonemes: [String]
    public var phonemeIDs: [Int32]
    public var voiceID: String
}

/// Every utterance of a build, in a fixed order, cut into shards. Fully determined by the
/// sentence pool, the size and the seed; its fingerprint guards resumption.
///
/// Train and validation: each seen voice gets a share of the utterances proportional to its
/// engine's weight (largest-remainder rounding), the resulting voice list is shuffled, and the
/// split's sentences are read in pool order (wrapping around if they run out), skipping those
/// over the size's word limit or that espeak-ng cannot phonemise.
/// Test: every voice reads its own run of test sentences (unseen voices read only these).
/// Added voices (`CorpusSize.addedVoiceIDs`) come last: train utterances only, scheduled like
/// the others among themselves, reading on where the train sentences stopped.
public struct BuildPlan: Sendable {
    public var utterances: [PlannedUtterance]
    public var shardSize: Int

    public var shardCount: Int { (utterances.count + shardSize - 1) / shardSize }
    public func shard(_ index: Int) -> ArraySlice<PlannedUtterance> {
        utterances[(index * shardSize)..<min(utterances.count, (index + 1) * shardSize)]
    }

    /// SHA-256 of the plan's ids, voices and texts.
    public var fingerprint: String {
        SHA256.hex(Array(utterances.map { "\($0.id)\t\($0.voiceID)\t\($0.text)" }.joined(separator: "\n").utf8))
    }

    static let voiceShuffleSalt: UInt64 = 0x0A1C_E5C0

    public static func make(pool: SentencePool, size: CorpusSize, seed: UInt64,
                            phonemizer: Phonemizer = Phonemizer(language: "en-us")) throws -> BuildPlan {
        let voices = size.catalogueVoices
        let seen = voices.filter(\.seen), unseen = voices.filter { !$0.seen }
        guard !seen.isEmpty else { throw CorpusError.invalidOption("size \(size.name) has no seen voices") }
        var rng = RNG(seed: seed ^ voiceShuffleSalt)
        var utterances: [PlannedUtterance] = []

        func add(split: CorpusSplit, voices: [Voice], reader: inout SentenceReader, firstIndex: Int = 0) throws {
            var index = firstIndex
            for voice in voices {
                let (text, tokens) = try reader.next()
                utterances.append(PlannedUtterance(id: String(format: "%@-%06d", split.rawValue, index), split: split, text: text,
                                                   phonemes: tokens, phonemeIDs: phonemizer.vocabulary.ids(tokens), voiceID: voice.id))
                index += 1
            }
        }
        var trainReader = SentenceReader(sentences: pool.train, maximumWords: size.maximumWords, phonemizer: phonemizer)
        try add(split: .train, voices: schedule(seen, count: size.trainUtterances, weights: size.engineWeights, rng: &rng),
                reader: &trainReader)
        var validationReader = SentenceReader(sentences: pool.validation, maximumWords: size.maximumWords, phonemizer: phonemizer)
        try add(split: .validation, voices: schedule(seen, count: size.validationUtterances, weights: size.engineWeights, rng: &rng),
                reader: &validationReader)
        var testReader = SentenceReader(sentences: pool.test, maximumWords: size.maximumWords, phonemizer: phonemizer)
        let testVoices = seen.flatMap { Array(repeating: $0, count: size.testUtterancesPerSeenVoice) }
            + unseen.flatMap { Array(repeating: $0, count: size.testUtterancesPerUnseenVoice) }
        try add(split: .test, voices: testVoices, reader: &testReader)
        if size.addedTrainUtterances > 0 {
            let added = size.addedVoices
            guard !added.isEmpty else { throw CorpusError.invalidOption("size \(size.name) adds utterances but no voices") }
            try add(split: .train, voices: schedule(added, count: size.addedTrainUtterances, weights: size.engineWeights, rng: &rng),
                    reader: &trainReader, firstIndex: size.trainUtterances)
        }
        return BuildPlan(utterances: utterances, shardSize: size.shardSize)
    }

    /// `count` voices, each appearing in proportion to its engine's weight, shuffled.
    static func schedule(_ voices: [Voice], count: Int, weights: [Engine: Double], rng: inout RNG) -> [Voice] {
        let weight = voices.map { weights[$0.engine] ?? 1 }
        let total = weight.reduce(0, +)
        let exact = weight.map { Double(count) * $0 / total }
        var quota = exact.map { Int($0.rounded(.down)) }
        let byRemainder = exact.indices.sorted { (exact[$0] - Double(quota[$0]), -$0) > (exact[$1] - Double(quota[$1]), -$1) }
        for i in byRemainder.prefix(count - quota.reduce(0, +)) { quota[i] += 1 }
        var list = zip(voices, quota).flatMap { Array(repeating: $0, count: $1) }
        rng.shuffle(&list)
        return list
    }
}

/// Reads a split's sentences in order, wrapping around, yielding only those that fit the word
/// limit and phonemise; sentences that fail are remembered and skipped.
struct SentenceReader {
    let sentences: [String]
    let maximumWords: Int
    let phonemizer: Phonemizer
    private var position = 0
    private var cache: [Int: [String]] = [:]
    private var rejected: Set<Int> = []

    init(sentences: [String], maximumWords: Int, phonemizer: Phonemizer) {
        self.sentences = sentences
        self.maximumWords = maximumWords
        self.phonemizer = phonemizer
    }

    mutating func next() throws -> (String, [String]) {
        for _ in 0..<sentences.count {
            let index = position % sentences.count
            position += 1
            if rejected.contains(index) { continue }
            if let tokens = cache[index] { return (sentences[index], tokens) }
            let sentence = sentences[index]
            guard sentence.split(separator: " ").count <= maximumWords,
                  let tokens = try? phonemizer.tokens(sentence), !tokens.contains(PhonemeVocabulary.unknown) else {
                rejected.insert(index)
                continue
            }
            cache[index] = tokens
            return (sentence, tokens)
        }
        throw CorpusError.notEnoughText(reason: "no sentence of \(sentences.count) has at most \(maximumWords) words and phonemises")
    }
}
