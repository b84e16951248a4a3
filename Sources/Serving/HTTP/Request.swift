import Foundation

/// One HTTP request as handlers see it: fully received, body included.
///
/// During admission (see `HTTPHandler.admit`) the same type carries only the head: `body` is empty
/// because it has not been read yet.
public struct Request: Sendable {
    public var method: HTTPMethod
    /// The path without the query, percent-decoded by libmicrohttpd (e.g. `/v1/models`).
    public var path: String
    /// Query arguments, percent-decoded; a repeated name keeps its last value, a bare `?flag` maps to "".
    public var query: [String: String]
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(
        method: HTTPMethod, path: String, query: [String: String] = [:],
        headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The declared body length, or nil when absent or not a non-negative integer (e.g. chunked uploads).
    public var contentLength: Int? {
        headers["Content-Length"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            .flatMap { $0 >= 0 ? $0 : nil }
    }
}
