/// Finds the route for a method and path in one table, telling "no such path" (404) apart from
/// "path exists, not with this method" (405, with the methods that are allowed).
public struct Router: Sendable {
    public enum Match: Sendable {
        case found(Route, RouteParameters)
        /// The path exists; `allowed` lists its methods (with HEAD wherever GET is, and OPTIONS).
        case methodNotAllowed(allowed: [HTTPMethod])
        case notFound
    }

    public let routes: [Route]

    public init(routes: [Route]) {
        var seen = Set<String>()
        for route in routes {
            let key = "\(route.method) \(route.pattern)"
            precondition(seen.insert(key).inserted, "route registered twice: \(key)")
        }
        self.routes = routes
    }

    public func match(method: HTTPMethod, path: String) -> Match {
        var allowed: [HTTPMethod] = []
        // HEAD is GET without the body; libmicrohttpd drops the body of HEAD responses.
        let lookup = method == .head ? .get : method
        for route in routes {
            guard let parameters = route.pattern.match(path) else { continue }
            if route.method == lookup { return .found(route, parameters) }
            allowed.append(route.method)
        }
        guard !allowed.isEmpty else { return .notFound }
        if allowed.contains(.get) { allowed.append(.head) }
        allowed.append(.options)
        return .methodNotAllowed(allowed: allowed)
    }
}
