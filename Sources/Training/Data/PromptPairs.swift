import Corpus
import NN

/// Random prompt/target pairs of the corpus train split, both from one seen voice (never the
/// same utterance): the inputs of rollouts for value training, VGPO and DPO.
public struct PromptPairs: Sendable {
    let byVoice: [String: [Utterance]]
    let voices: [String]

    public init(store: CorpusStore) throws {
        let byVoice = Dictionary(grouping: store.utterances(split: .train, seenVoices: true), by: \.voice)
        self.byVoice = byVoice
        voices = byVoice.keys.sorted().filter { byVoice[$0]!.count >= 2 }
        guard !voices.isEmpty else { throw TrainingError.noData("no seen voice with two train utterances") }
    }

    /// Voice, then target, then prompt, each uniform.
    public func draw(_ rng: inout RNG) -> (prompt: Utterance, target: Utterance) {
        let utterances = byVoice[voices[rng.int(below: voices.count)]]!
        let target = utterances[rng.int(below: utterances.count)]
        var prompt = utterances[rng.int(below: utterances.count)]
        if prompt.id == target.id { prompt = utterances.first { $0.id != target.id }! }
        return (prompt, target)
    }
}
