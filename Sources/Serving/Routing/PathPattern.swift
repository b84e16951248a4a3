/// A route path such as `/v1/voices/{id}`: literal segments and named parameters, each parameter
/// matching exactly one non-empty segment.
///
/// Matching is exact: no trailing-slash folding, no empty segments, so one resource has one URL.
public struct PathPattern: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    enum Segment: Sendable, Hashable {
        case literal(String)
        case parameter(String)
    }

    let segments: [Segment]
    public let description: String

    public init(_ pattern: String) {
        precondition(pattern.hasPrefix("/"), "route patterns start with '/': \(pattern)")
        description = pattern
        segments = pattern.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { part in
            if part.hasPrefix("{") && part.hasSuffix("}") {
                return .parameter(String(part.dropFirst().dropLast()))
            }
            return .literal(String(part))
        }
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// The parameters bound by `path`, or nil when it does not match.
    func match(_ path: String) -> RouteParameters? {
        guard path.hasPrefix("/") else { return nil }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard parts.count == segments.count else { return nil }
        var parameters = RouteParameters()
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case let .literal(text):
                guard part == text else { return nil }
            case let .parameter(name):
                guard !part.isEmpty else { return nil }
                parameters.values[name] = String(part)
            }
        }
        return parameters
    }
}

/// Values of a pattern's `{name}` segments for one request.
public struct RouteParameters: Sendable, Equatable {
    var values: [String: String] = [:]

    public init() {}

    public subscript(name: String) -> String? { values[name] }
}
