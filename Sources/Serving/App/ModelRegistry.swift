import Foundation

/// The models the server has loaded, by name. Loading replaces the whole set at once, so a
/// request sees either the old set or the new one.
///
/// No model kind has a loader yet (the ARDM, value and reward models land in their own issues):
/// asking for one fails with an error that names the missing capability rather than pretending.
public final class ModelRegistry: @unchecked Sendable {
    /// What `/v1/models` lists for one loaded model.
    public struct Entry: Codable, Equatable, Sendable {
        public let id: String
        public let kind: ModelSpec.Kind
    }

    private let lock = NSLock()
    private var entries: [Entry] = []

    public init() {}

    public var loaded: [Entry] {
        lock.lock()
        defer { lock.unlock() }
        return entries
    }

    /// Loads every spec, then swaps the set in; on any failure the old set stays.
    @discardableResult
    public func load(_ specs: [ModelSpec]) throws -> [Entry] {
        let fresh = try specs.map(Self.loadOne)
        lock.lock()
        entries = fresh
        lock.unlock()
        return fresh
    }

    /// Where each kind's loader will be called (checking every tensor's name and shape).
    private static func loadOne(_ spec: ModelSpec) throws -> Entry {
        switch spec.kind {
        case .ardm, .value, .reward:
            throw ModelLoadError.noLoader(spec)
        }
    }
}

/// Why a model could not be loaded.
public enum ModelLoadError: Error, Equatable, CustomStringConvertible {
    /// This build cannot load models of that kind yet.
    case noLoader(ModelSpec)

    public var description: String {
        switch self {
        case let .noLoader(spec):
            return "model '\(spec.name)' (\(spec.path)): this build has no loader for \(spec.kind.rawValue) models yet"
        }
    }
}
