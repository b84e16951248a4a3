/// Why an `HTTPServer` could not start. Messages name the address and the operating system's
/// reason, because "could not start" alone sends people hunting.
public enum HTTPServerError: Error, Equatable, CustomStringConvertible {
    case addressResolutionFailed(host: String, reason: String)
    case bindFailed(host: String, port: Int, reason: String)
    case daemonStartFailed(host: String, port: Int)
    case alreadyStarted

    public var description: String {
        switch self {
        case let .addressResolutionFailed(host, reason):
            return "cannot resolve bind address '\(host)': \(reason)"
        case let .bindFailed(host, port, reason):
            return "cannot listen on \(host):\(port): \(reason)"
        case let .daemonStartFailed(host, port):
            return "libmicrohttpd failed to start on \(host):\(port) (see its message above)"
        case .alreadyStarted:
            return "an HTTPServer can be started only once"
        }
    }
}
