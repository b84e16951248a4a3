import Corpus
import Foundation
import Rewards

/// The paper's two evaluation tasks on the corpus test sets (DESIGN §10; docs/corpus.md):
/// Task A (expressiveness: F0V, with CER and SIM as guard rails) and Task B (intelligibility
/// of hard sentences: CTC NLL and CER, with SIM).
public enum EvalTask: String, CaseIterable, Sendable {
    case a = "A"
    case b = "B"

    /// One test item: say `targetPhonemeIDs` (`targetText`) in the voice of a prompt utterance.
    public struct Item: Sendable {
        public var id: String
        public var prompt: PromptReference
        public var targetText: String
        public var targetPhonemeIDs: [Int32]
    }

    public func items(_ store: CorpusStore) throws -> [Item] {
        switch self {
        case .a: return try store.taskA().map { Item(id: $0.id, prompt: $0.prompt, targetText: $0.targetText, targetPhonemeIDs: $0.targetPhonemeIDs) }
        case .b: return try store.taskB().map { Item(id: $0.id, prompt: $0.prompt, targetText: $0.targetText, targetPhonemeIDs: $0.targetPhonemeIDs) }
        }
    }

    /// The reward best-of-K and guidance optimise on this task.
    public var reward: RewardName { self == .a ? .f0v : .ctcLikelihood }

    /// The table's columns, in the paper's order.
    public var columns: [EvalColumn] { self == .a ? [.f0v, .per, .sim] : [.nll, .per, .sim] }
}

/// A measured quantity of one sample, read off its reward scores.
public enum EvalColumn: String, CaseIterable, Sendable {
    case f0v = "F0V"
    case nll = "NLL"
    case per = "PER"
    case sim = "SIM"

    public var reward: RewardName {
        switch self {
        case .f0v: return .f0v
        case .nll: return .ctcLikelihood
        case .per: return .per
        case .sim: return .sim
        }
    }

    /// Arrow of the table header: which way is better.
    public var better: String { self == .f0v || self == .sim ? "↑" : "↓" }

    public func value(_ scores: [RewardName: RewardScore]) -> Double {
        guard let score = scores[reward] else { return .nan }
        return self == .nll ? score.details["per_phoneme_nll"] ?? .nan : score.value
    }
}
