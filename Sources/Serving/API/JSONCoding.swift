import Foundation

/// The JSON encoder and decoder of the API, configured once so every route writes the same way.
///
/// Keys are spelled by each type's `CodingKeys` (snake_case on the wire), not by a key strategy:
/// what a field is called in JSON is then visible where the field is declared.
enum JSONCoding {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        // Sorted keys: byte-stable output, which tests and caches can compare.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func decoder() -> JSONDecoder { JSONDecoder() }
}

extension Response {
    /// A JSON response of `value`, `Content-Type: application/json`.
    public static func json<Value: Encodable>(_ value: Value, status: Int = 200, headers: HTTPHeaders = HTTPHeaders()) -> Response {
        var headers = headers
        headers.set("Content-Type", "application/json")
        do {
            return Response(status: status, headers: headers, body: Array(try JSONCoding.encoder().encode(value)))
        } catch {
            // Only a programming error (e.g. a NaN in a response) lands here; say so rather than crash.
            return APIError.internal("could not encode the response: \(error)").response
        }
    }
}

extension APIError {
    /// The wire form: `{"error": {"code", "message"}}` with this error's status and headers.
    public var response: Response {
        var headers = self.headers
        headers.set("Content-Type", "application/json")
        let body = ErrorBody(error: .init(code: code, message: message))
        let bytes = (try? JSONCoding.encoder().encode(body)).map(Array.init)
            ?? Array(#"{"error":{"code":"internal_error","message":"error encoding failed"}}"#.utf8)
        return Response(status: status, headers: headers, body: bytes)
    }

    /// Decodes an error body, for clients and tests.
    public static func decode(from body: [UInt8], status: Int) -> APIError? {
        guard (400...599).contains(status),
              let decoded = try? JSONCoding.decoder().decode(ErrorBody.self, from: Data(body))
        else { return nil }
        return APIError(status: status, code: decoded.error.code, message: decoded.error.message)
    }
}

private struct ErrorBody: Codable {
    struct Detail: Codable {
        let code: String
        let message: String
    }
    let error: Detail
}
