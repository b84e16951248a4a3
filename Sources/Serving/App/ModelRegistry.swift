import Foundation
import Rewards

/// The models the server has loaded, by name: text-to-speech models (kind `ardm`), value models
/// (`value`, for guidance) and reward models (`reward`, for scoring and best-of-K). Loading
/// replaces the whole set at once, so a request sees either the old set or the new one (a batch
/// already running keeps its model objects alive until it finishes).
public final class ModelRegistry: @unchecked Sendable {
    /// What `/v1/models` lists for one loaded model.
    public struct Entry: Codable, Equatable, Sendable {
        public let id: String
        public let kind: ModelSpec.Kind
        /// Reward models: the rewards they provide. Value models: the reward they estimate, when
        /// their folder records it.
        public var rewards: [String]?

        public init(id: String, kind: ModelSpec.Kind, rewards: [String]? = nil) {
            self.id = id
            self.kind = kind
            self.rewards = rewards
        }
    }

    /// Builds a TTS model from a spec of kind `ardm` (reads its files).
    public typealias SpeechModelLoader = @Sendable (ModelSpec) throws -> SpeechModel

    /// One consistent set of loaded models.
    private struct Loaded {
        var entries: [Entry] = []
        var speech: [String: SpeechModel] = [:]
        var values: [String: ValueModel] = [:]
        var rewards = RewardSet()
    }

    private let speechLoader: SpeechModelLoader
    private let lock = NSLock()
    private var current = Loaded()

    public init(speechLoader: @escaping SpeechModelLoader) {
        self.speechLoader = speechLoader
    }

    public var loaded: [Entry] {
        lock.lock()
        defer { lock.unlock() }
        return current.entries
    }

    /// The rewards the loaded models allow (F0V at least).
    public var rewards: RewardSet {
        lock.lock()
        defer { lock.unlock() }
        return current.rewards
    }

    /// Loads every spec, then swaps the set in; on any failure the old set stays.
    @discardableResult
    public func load(_ specs: [ModelSpec]) throws -> [Entry] {
        var fresh = Loaded()
        var rewardModels: [(name: String, model: RewardModel)] = []
        for spec in specs {
            do {
                switch spec.kind {
                case .ardm:
                    fresh.speech[spec.name] = try speechLoader(spec)
                    fresh.entries.append(Entry(id: spec.name, kind: .ardm))
                case .value:
                    let value = try ValueModel.load(from: spec.path)
                    fresh.values[spec.name] = value
                    fresh.entries.append(Entry(id: spec.name, kind: .value, rewards: value.reward.map { [$0] }))
                case .reward:
                    let model = try RewardModel.load(from: spec.path)
                    rewardModels.append((spec.name, model))
                    fresh.entries.append(Entry(id: spec.name, kind: .reward, rewards: model.provides.map(\.rawValue)))
                }
            } catch {
                throw ModelLoadError.failed(spec, reason: "\(error)")
            }
        }
        do {
            fresh.rewards = try RewardSet(models: rewardModels)
        } catch {
            throw ModelLoadError.conflict(reason: "\(error)")
        }
        lock.lock()
        current = fresh
        lock.unlock()
        return fresh.entries
    }

    /// The TTS model called `name`, or the first configured one when `name` is nil.
    /// 404 `model_not_found` for an unknown name, 503 `no_model` when none is loaded.
    public func speechModel(named name: String?) throws -> (name: String, model: SpeechModel) {
        lock.lock()
        defer { lock.unlock() }
        let ardmNames = current.entries.filter { $0.kind == .ardm }.map(\.id)
        guard let chosen = name ?? ardmNames.first else {
            throw APIError(status: 503, code: "no_model",
                           message: "no text-to-speech model is loaded; list one under \"models\" in the server config")
        }
        guard let model = current.speech[chosen] else {
            let known = ardmNames.isEmpty ? "none" : ardmNames.joined(separator: ", ")
            throw APIError.notFound("no text-to-speech model '\(chosen)' (loaded: \(known))", code: "model_not_found")
        }
        return (chosen, model)
    }

    /// The value model called `name`; 404 `value_model_not_found` naming the loaded ones.
    public func valueModel(named name: String) throws -> ValueModel {
        lock.lock()
        defer { lock.unlock() }
        guard let value = current.values[name] else {
            let names = current.entries.filter { $0.kind == .value }.map(\.id)
            throw APIError.notFound(
                "no value model '\(name)' (loaded: \(names.isEmpty ? "none" : names.joined(separator: ", ")))",
                code: "value_model_not_found")
        }
        return value
    }
}

/// Why a set of models could not be loaded.
public enum ModelLoadError: Error, CustomStringConvertible {
    /// The files could not be read or do not hold a model of that kind.
    case failed(ModelSpec, reason: String)
    /// The models load but cannot be served together (two provide the same reward).
    case conflict(reason: String)

    public var description: String {
        switch self {
        case let .failed(spec, reason):
            return "model '\(spec.name)' (\(spec.kind.rawValue), \(spec.path)): \(reason)"
        case let .conflict(reason):
            return "models: \(reason)"
        }
    }
}
