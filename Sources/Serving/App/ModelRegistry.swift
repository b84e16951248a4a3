import Foundation

/// The models the server has loaded, by name. Loading replaces the whole set at once, so a
/// request sees either the old set or the new one (a batch already running keeps its model
/// object alive until it finishes).
///
/// ARDM (TTS) models load through `speechLoader`; value and reward models have no loader yet
/// (their issues land later): configuring one fails with an error that names the missing
/// capability rather than pretending.
public final class ModelRegistry: @unchecked Sendable {
    /// What `/v1/models` lists for one loaded model.
    public struct Entry: Codable, Equatable, Sendable {
        public let id: String
        public let kind: ModelSpec.Kind
    }

    /// Builds a TTS model from a spec of kind `ardm` (reads its files).
    public typealias SpeechModelLoader = @Sendable (ModelSpec) throws -> SpeechModel

    private let speechLoader: SpeechModelLoader
    private let lock = NSLock()
    private var entries: [Entry] = []
    private var speechModels: [String: SpeechModel] = [:]

    public init(speechLoader: @escaping SpeechModelLoader) {
        self.speechLoader = speechLoader
    }

    public var loaded: [Entry] {
        lock.lock()
        defer { lock.unlock() }
        return entries
    }

    /// Loads every spec, then swaps the set in; on any failure the old set stays.
    @discardableResult
    public func load(_ specs: [ModelSpec]) throws -> [Entry] {
        var fresh: [String: SpeechModel] = [:]
        for spec in specs {
            switch spec.kind {
            case .ardm:
                do {
                    fresh[spec.name] = try speechLoader(spec)
                } catch {
                    throw ModelLoadError.failed(spec, reason: "\(error)")
                }
            case .value, .reward:
                throw ModelLoadError.noLoader(spec)
            }
        }
        let list = specs.map { Entry(id: $0.name, kind: $0.kind) }
        lock.lock()
        entries = list
        speechModels = fresh
        lock.unlock()
        return list
    }

    /// The TTS model called `name`, or the first configured one when `name` is nil.
    /// 404 `model_not_found` for an unknown name, 503 `no_model` when none is loaded.
    public func speechModel(named name: String?) throws -> (name: String, model: SpeechModel) {
        lock.lock()
        defer { lock.unlock() }
        let ardmNames = entries.filter { $0.kind == .ardm }.map(\.id)
        guard let chosen = name ?? ardmNames.first else {
            throw APIError(status: 503, code: "no_model",
                           message: "no text-to-speech model is loaded; list one under \"models\" in the server config")
        }
        guard let model = speechModels[chosen] else {
            let known = ardmNames.isEmpty ? "none" : ardmNames.joined(separator: ", ")
            throw APIError.notFound("no text-to-speech model '\(chosen)' (loaded: \(known))", code: "model_not_found")
        }
        return (chosen, model)
    }
}

/// Why a model could not be loaded.
public enum ModelLoadError: Error, CustomStringConvertible {
    /// This build cannot load models of that kind yet.
    case noLoader(ModelSpec)
    /// The files could not be read or do not hold a model of that kind.
    case failed(ModelSpec, reason: String)

    public var description: String {
        switch self {
        case let .noLoader(spec):
            return "model '\(spec.name)' (\(spec.path)): this build has no loader for \(spec.kind.rawValue) models yet"
        case let .failed(spec, reason):
            return "model '\(spec.name)' (\(spec.path)): \(reason)"
        }
    }
}
