/// The one error type of the API: every failure a client sees is one of these, rendered as
/// `{"error": {"code": "...", "message": "..."}}` with an error status (DESIGN §11).
///
/// `code` is a stable, machine-readable token (snake_case); `message` is for people and says what
/// was wrong and, where possible, what to send instead.
public struct APIError: Error, Equatable, Sendable, CustomStringConvertible {
    public let status: Int
    public let code: String
    public let message: String
    /// Extra headers the status calls for: `Allow` on 405, `Retry-After` on 503, ...
    public let headers: HTTPHeaders

    public init(status: Int, code: String, message: String, headers: HTTPHeaders = HTTPHeaders()) {
        // An error is never reported with a success status.
        precondition((400...599).contains(status), "APIError needs a 4xx or 5xx status, got \(status)")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status) \(code): \(message)" }
}

// The errors used across routes, named by what went wrong.
extension APIError {
    public static func badRequest(_ message: String, code: String = "invalid_request") -> APIError {
        APIError(status: 400, code: code, message: message)
    }

    public static func unauthorized(_ message: String) -> APIError {
        APIError(status: 401, code: "missing_api_key", message: message, headers: ["WWW-Authenticate": "Bearer"])
    }

    public static func forbidden(_ message: String, code: String = "invalid_api_key") -> APIError {
        APIError(status: 403, code: code, message: message)
    }

    public static func notFound(_ message: String, code: String = "not_found") -> APIError {
        APIError(status: 404, code: code, message: message)
    }

    public static func methodNotAllowed(_ method: HTTPMethod, path: String, allowed: [HTTPMethod]) -> APIError {
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        return APIError(
            status: 405, code: "method_not_allowed",
            message: "\(method) is not allowed on \(path); allowed: \(list)", headers: ["Allow": list])
    }

    public static func bodyTooLarge(limit: Int) -> APIError {
        APIError(status: 413, code: "body_too_large", message: "request body exceeds the limit of \(limit) bytes")
    }

    public static func unsupportedMediaType(_ message: String) -> APIError {
        APIError(status: 415, code: "unsupported_media_type", message: message)
    }

    public static func unprocessable(_ message: String, code: String = "invalid_value") -> APIError {
        APIError(status: 422, code: code, message: message)
    }

    /// 503 with `Retry-After`, so well-behaved clients and load balancers come back later.
    public static func unavailable(_ message: String, code: String, retryAfterSeconds: Int) -> APIError {
        APIError(status: 503, code: code, message: message, headers: ["Retry-After": String(retryAfterSeconds)])
    }

    /// A fault of the server, never of the input (bad input is always 4xx).
    public static func `internal`(_ message: String) -> APIError {
        APIError(status: 500, code: "internal_error", message: message)
    }
}
