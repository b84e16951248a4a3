/// Finds the route for a method and path in one table, telling "no such path" (404) apart from
/// "path exists, not with this method" (405, with the methods that are allowed).
///
/// A path that no route has may still name a file of the public folder (`files`): it is then
/// answered by the files' route for GET and HEAD, and is 405 for any other method.
public struct Router: Sendable {
    public enum Match: Sendable {
        case found(Route, RouteParameters)
        /// The path exists; `allowed` lists its methods (with HEAD wherever GET is, and OPTIONS).
        case methodNotAllowed(allowed: [HTTPMethod])
        case notFound
    }

    public let routes: [Route]
    /// The public folder served at `/`, or nil to serve no files.
    public let files: StaticFiles?

    public init(routes: [Route], files: StaticFiles? = nil) {
        var seen = Set<String>()
        for route in routes {
            let key = "\(route.method) \(route.pattern)"
            precondition(seen.insert(key).inserted, "route registered twice: \(key)")
        }
        self.routes = routes
        self.files = files
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
        if allowed.isEmpty, let files, files.resolve(path) != nil {
            if lookup == .get { return .found(files.route, RouteParameters()) }
            allowed.append(.get)
        }
        guard !allowed.isEmpty else { return .notFound }
        if allowed.contains(.get) { allowed.append(.head) }
        allowed.append(.options)
        return .methodNotAllowed(allowed: allowed)
    }
}
