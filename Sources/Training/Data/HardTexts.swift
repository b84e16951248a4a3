import Corpus
import NN
import Text

/// Task B's kind of target, for training: hard texts (`HardSentenceMaker`: sentences joined, then
/// words, phrases and clauses repeated) made from the corpus train split's sentences, so that a
/// value for Task B learns on texts like those it guides, not on single corpus sentences.
struct HardTexts {
    let sentences: [String]
    let phonemizer: Phonemizer

    init(store: CorpusStore, phonemizer: Phonemizer) throws {
        sentences = Array(Set(store.utterances(split: .train, seenVoices: true).map(\.text))).sorted()
        self.phonemizer = phonemizer
        guard sentences.count >= 2 else { throw TrainingError.noData("hard texts need two train sentences, the corpus has \(sentences.count)") }
    }

    /// A hard text and its phoneme ids; a text with a symbol outside the vocabulary is drawn again.
    func draw(_ rng: inout RNG) throws -> (text: String, phonemeIDs: [Int32]) {
        for _ in 0..<100 {
            if let made = try HardSentenceMaker.phonemized(sentences: sentences, phonemizer: phonemizer, rng: &rng) {
                return (made.text, phonemizer.vocabulary.ids(made.tokens))
            }
        }
        throw TrainingError.noData("no hard text without unknown phonemes in 100 draws")
    }
}
