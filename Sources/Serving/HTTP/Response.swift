/// One HTTP response: status, header fields and the whole body in memory.
///
/// libmicrohttpd adds `Content-Length`, `Date` and `Connection` itself; handlers set the rest.
public struct Response: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int = 200, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// An empty-bodied response, e.g. 204 for CORS preflights.
    public static func empty(status: Int, headers: HTTPHeaders = HTTPHeaders()) -> Response {
        Response(status: status, headers: headers)
    }
}
