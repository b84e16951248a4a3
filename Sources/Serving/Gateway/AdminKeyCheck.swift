import Foundation

/// The check of `Authorization: Bearer <key>` on admin routes.
///
/// 401 when no key is presented (with `WWW-Authenticate`), 403 when it is wrong or when the
/// server has no admin key at all (admin routes disabled).
struct AdminKeyCheck: Sendable {
    /// The configured key; nil disables admin routes.
    let key: String?

    func check(_ request: Request) throws {
        guard let key else {
            throw APIError.forbidden("admin routes are disabled: the server has no admin_api_key", code: "admin_disabled")
        }
        guard let presented = Self.bearerToken(request.headers["Authorization"]) else {
            throw APIError.unauthorized("admin routes need the header 'Authorization: Bearer <admin_api_key>'")
        }
        guard Self.constantTimeEquals(Array(presented.utf8), Array(key.utf8)) else {
            throw APIError.forbidden("the admin API key is not valid")
        }
    }

    /// The token of a `Bearer` authorization (scheme matched in any case, RFC 6750 §2.1).
    static func bearerToken(_ authorization: String?) -> String? {
        guard let authorization else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// Compares without stopping at the first difference, so response time does not reveal how
    /// much of a guessed key was right.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0 && a.count == b.count
    }
}
