import Foundation

extension Request {
    /// Decodes the body as JSON into `Body`, mapping each way it can fail to the API's errors:
    /// 415 for a content type other than JSON, 400 for an empty body, invalid JSON, a missing or
    /// mistyped field, or (with strict types, see `Decoder.rejectUnknownKeys`) an unknown one.
    /// Values that decode but make no sense are the route's to reject, with 422.
    public func decodeJSONBody<Body: Decodable>(_ type: Body.Type) throws -> Body {
        // A missing Content-Type is tolerated (hand-written curl commands); a wrong one is not.
        if let contentType = headers["Content-Type"], !Self.isJSON(contentType) {
            throw APIError.unsupportedMediaType(
                "expected Content-Type: application/json, got '\(contentType)'")
        }
        guard !body.isEmpty else { throw APIError.badRequest("the request body is empty; send a JSON object", code: "empty_body") }
        do {
            return try JSONCoding.decoder().decode(Body.self, from: Data(body))
        } catch let error as DecodingError {
            // "Data corrupted" covers both bad syntax and values that fit no field (1.5 for an
            // integer); only the parser can tell them apart.
            if case .dataCorrupted = error, let syntaxError = Self.syntaxErrorDescription(body) {
                throw APIError.badRequest(syntaxError, code: "malformed_json")
            }
            if case let .dataCorrupted(context) = error, context.codingPath.isEmpty {
                // Foundation reports a number that fits no field type without saying where.
                throw APIError.badRequest(
                    "a value has the wrong type for its field (for example a fraction or an out-of-range number where an integer is expected)")
            }
            throw APIError.badRequest(error.readableDescription)
        }
    }

    /// The JSON parser's own account of a syntax error (it names the position), or nil when the
    /// text parses. Run only after decoding failed, so valid bodies are parsed once.
    static func syntaxErrorDescription(_ body: [UInt8]) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
            return nil
        } catch {
            let nsError = error as NSError
            let detail = nsError.userInfo[NSDebugDescriptionErrorKey] as? String ?? nsError.localizedDescription
            return "not valid JSON: \(detail)"
        }
    }

    /// `application/json`, optionally with parameters such as `; charset=utf-8`, any case.
    static func isJSON(_ contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }
}
