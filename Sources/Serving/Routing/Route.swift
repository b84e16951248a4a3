/// A route handler: runs on the connection's thread with the complete request and the path's
/// parameters. It may block (waiting for a scheduled job); it throws `APIError` for any failure
/// the client should see.
public typealias RouteHandler = @Sendable (Request, RouteParameters) throws -> Response

/// One row of the route table: what it answers, who may call it, and when.
public struct Route: Sendable {
    /// Who may call a route; checked before the body is read.
    public enum Access: Sendable {
        case `public`
        /// Needs `Authorization: Bearer <admin_api_key>`; refused when no key is configured.
        case admin
    }

    public let method: HTTPMethod
    public let pattern: PathPattern
    public let access: Access
    /// Answered while models load; every other route gets 503 with Retry-After until ready.
    public let availableWhileLoading: Bool
    public let handler: RouteHandler

    public init(
        _ method: HTTPMethod, _ pattern: PathPattern, access: Access = .public,
        availableWhileLoading: Bool = false, handler: @escaping RouteHandler
    ) {
        self.method = method
        self.pattern = pattern
        self.access = access
        self.availableWhileLoading = availableWhileLoading
        self.handler = handler
    }
}
