import Foundation
import NN
import Text

/// Makes Task A and Task B from the assembled manifest: prompts are test-split utterances of
/// unseen voices, targets are test-split text. Deterministic for the seed.
struct TestSetBuilder {
    let utterances: [Utterance]
    let voices: [Voice]
    let pool: SentencePool
    let seed: UInt64
    let phonemizer: Phonemizer

    /// Prompts this long are preferred (seconds): long enough to carry the voice, short
    /// enough to leave the model's context for the target.
    static let promptSeconds = 2.0...6.0
    static let shuffleSalt: UInt64 = 0x7E57_5E75

    /// Test utterances per unseen voice, by id; voices in a seeded order.
    private func unseenVoicesWithUtterances() -> [(Voice, [Utterance])] {
        let byVoice = Dictionary(grouping: utterances.filter { $0.split == .test }, by: \.voice)
        var unseen = voices.filter { !$0.seen && byVoice[$0.id] != nil }.sorted { $0.id < $1.id }
        var rng = RNG(seed: seed ^ Self.shuffleSalt)
        rng.shuffle(&unseen)
        return unseen.map { ($0, byVoice[$0.id]!.sorted { $0.id < $1.id }) }
    }

    private func prompt(from candidates: [Utterance]) -> Utterance {
        candidates.first { Self.promptSeconds.contains($0.duration) } ?? candidates[0]
    }

    private func reference(_ u: Utterance) -> PromptReference {
        PromptReference(utteranceID: u.id, voice: u.voice, text: u.text, phonemes: u.phonemes, duration: u.duration)
    }

    func taskA(count: Int) -> [TaskAItem] {
        unseenVoicesWithUtterances().prefix(count).enumerated().compactMap { index, pair in
            let (_, candidates) = pair
            let promptUtterance = prompt(from: candidates)
            guard let target = candidates.first(where: { $0.id != promptUtterance.id && $0.text != promptUtterance.text }) else { return nil }
            return TaskAItem(id: String(format: "task-a-%03d", index), prompt: reference(promptUtterance),
                             targetText: target.text, targetPhonemes: target.phonemes, targetPhonemeIDs: target.phonemeIDs,
                             referenceUtteranceID: target.id)
        }
    }

    func taskB(count: Int) -> [TaskBItem] {
        let unseen = unseenVoicesWithUtterances()
        guard !unseen.isEmpty else { return [] }
        var rng = RNG(seed: seed ^ Self.shuffleSalt ^ 0xB)
        var items: [TaskBItem] = []
        var attempts = 0
        while items.count < count && attempts < count * 10 {
            attempts += 1
            let (_, candidates) = unseen[items.count % unseen.count]
            guard let made = try? HardSentenceMaker.phonemized(sentences: pool.test, phonemizer: phonemizer, rng: &rng) else { continue }
            items.append(TaskBItem(id: String(format: "task-b-%03d", items.count), prompt: reference(prompt(from: candidates)),
                                   targetText: made.text, targetPhonemes: made.tokens, targetPhonemeIDs: phonemizer.vocabulary.ids(made.tokens),
                                   sourceSentences: made.sources, repetitions: made.repetitions))
        }
        return items
    }
}
