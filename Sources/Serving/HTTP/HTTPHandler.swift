/// What `HTTPServer` asks of the application, in two steps so that bad requests are answered
/// before their bodies are read (a 401 or 404 on a 50 MB upload costs nothing).
///
/// Threading: both methods run on the libmicrohttpd thread that owns the connection (one thread
/// per connection, see `HTTPServer`). `respond` may block that thread, e.g. waiting for a job that
/// a scheduler runs elsewhere; only that one connection waits.
public protocol HTTPHandler: AnyObject, Sendable {
    /// Called when the request head (method, path, query, headers) has arrived and before any
    /// body byte is read. Reject with a response, or accept and say how many body bytes to allow.
    func admit(_ head: Request) -> Admission

    /// Called with the complete request once an admitted body has been read within its limit.
    func respond(to request: Request) -> Response

    /// Called instead of `respond` when the body turned out larger than `limit` (known only while
    /// streaming, e.g. chunked uploads); the excess was discarded, never stored.
    func respondToOversizedBody(_ head: Request, limit: Int) -> Response
}

/// The decision taken on a request head.
public enum Admission: Sendable {
    /// Answer now; the body, if any, is never read and the connection is closed after the reply.
    case reject(Response)
    /// Read the body, allowing at most `maxBodyBytes` bytes.
    case accept(maxBodyBytes: Int)
}
