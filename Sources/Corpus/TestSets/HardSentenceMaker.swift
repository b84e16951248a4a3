import NN
import Text

/// Builds Task B's "hard" sentences (the paper's hard set): two or three test sentences joined,
/// then words, phrases and clauses repeated in place at random:
///   word:   "the" -> "the the the"            (2-3 copies)
///   phrase: 2-4 words said twice in a row
///   clause: a comma-delimited clause said twice in a row
/// until the text has at least `minimumWords` words and `operations` repetitions were made.
/// Task B's test items join test sentences; value rollouts of the same kind join train ones.
public struct HardSentenceMaker {
    /// Shortest hard sentence, words; the test sentences average ~10 words, so ~3 are joined.
    public static let minimumWords = 30
    static let operations = 4

    public static func make(sentences: [String], rng: inout RNG) -> (text: String, sources: [String], repetitions: [String]) {
        var sources: [String] = []
        var words: [String] = []
        while words.count < minimumWords * 2 / 3 || sources.count < 2 {
            let sentence = sentences[rng.int(below: sentences.count)]
            sources.append(sentence)
            words += sentence.split(separator: " ").map(String.init)
        }
        var repetitions: [String] = []
        while repetitions.count < operations || words.count < minimumWords {
            switch rng.int(below: 3) {
            case 0:
                let i = rng.int(below: words.count)
                let copies = 1 + rng.int(below: 2)
                let bare = strip(words[i])
                words.insert(contentsOf: Array(repeating: bare, count: copies), at: i)
                repetitions.append("word '\(bare)' x\(copies + 1)")
            case 1:
                let length = min(words.count, 2 + rng.int(below: 3))
                let start = rng.int(below: words.count - length + 1)
                var phrase = Array(words[start..<(start + length)])
                phrase[phrase.count - 1] = strip(phrase[phrase.count - 1])
                words.insert(contentsOf: phrase, at: start)
                repetitions.append("phrase '\(phrase.joined(separator: " "))' x2")
            default:
                let clauses = clauseRanges(words)
                let range = clauses[rng.int(below: clauses.count)]
                var clause = Array(words[range])
                // The copy ends in a comma, so the repeated clause reads as a list, not a new sentence.
                clause[clause.count - 1] = strip(clause[clause.count - 1]) + ","
                words.insert(contentsOf: clause, at: range.lowerBound)
                repetitions.append("clause '\(clause.joined(separator: " "))' x2")
            }
        }
        return (words.joined(separator: " "), sources, repetitions)
    }

    /// One hard text with its phonemes: nil when they hold a symbol outside the vocabulary (the
    /// caller draws again); the phonemizer's errors pass through.
    public static func phonemized(sentences: [String], phonemizer: Phonemizer, rng: inout RNG) throws
        -> (text: String, sources: [String], repetitions: [String], tokens: [String])? {
        let made = make(sentences: sentences, rng: &rng)
        let tokens = try phonemizer.tokens(made.text)
        return tokens.contains(PhonemeVocabulary.unknown) ? nil : (made.text, made.sources, made.repetitions, tokens)
    }

    /// Word ranges ending at ",", ";", ":", ".", "!" or "?".
    static func clauseRanges(_ words: [String]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for (i, word) in words.enumerated() where word.last.map({ ",;:.!?".contains($0) }) == true {
            ranges.append(start..<(i + 1))
            start = i + 1
        }
        if start < words.count { ranges.append(start..<words.count) }
        return ranges
    }

    /// A word without its trailing punctuation or quotes.
    static func strip(_ word: String) -> String {
        var result = word
        while let last = result.last, ",;:.!?\"".contains(last), result.count > 1 { result.removeLast() }
        return result
    }
}
