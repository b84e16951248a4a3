/// Cross-origin resource sharing (the Fetch standard's CORS protocol) for configured origins.
///
/// Only origins on the list get `Access-Control-Allow-Origin`; others get ordinary responses
/// without it, and the browser, not the server, blocks the page from reading them.
struct CORSPolicy: Sendable {
    let allowedOrigins: [String]

    /// Headers a cross-origin page may send; what our routes read.
    static let allowedRequestHeaders = "Authorization, Content-Type"
    /// Seconds a browser may cache a preflight answer.
    static let preflightMaxAgeSeconds = 600

    /// The `Access-Control-Allow-Origin` value for this request, or nil when it gets none.
    func allowOrigin(for request: Request) -> String? {
        guard let origin = request.headers["Origin"] else { return nil }
        if allowedOrigins.contains("*") { return "*" }
        return allowedOrigins.contains(origin) ? origin : nil
    }

    /// Adds the CORS headers of an actual (non-preflight) request's response.
    func decorate(_ response: inout Response, for request: Request) {
        guard let allowed = allowOrigin(for: request) else { return }
        response.headers.set("Access-Control-Allow-Origin", allowed)
        // The answer depends on the Origin header unless it is "*": caches must keep them apart.
        if allowed != "*" { response.headers.add("Vary", "Origin") }
    }

    /// The answer to `OPTIONS` on a known path: the methods it allows and, for an allowed
    /// origin's preflight, what the browser may then send.
    func preflight(_ request: Request, allowed methods: [HTTPMethod]) -> Response {
        let list = methods.map(\.rawValue).joined(separator: ", ")
        var headers: HTTPHeaders = ["Allow": list]
        if allowOrigin(for: request) != nil, request.headers["Access-Control-Request-Method"] != nil {
            headers.set("Access-Control-Allow-Methods", list)
            headers.set("Access-Control-Allow-Headers", Self.allowedRequestHeaders)
            headers.set("Access-Control-Max-Age", String(Self.preflightMaxAgeSeconds))
        }
        return .empty(status: 204, headers: headers)
    }
}
