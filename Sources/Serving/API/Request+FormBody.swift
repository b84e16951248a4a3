import Foundation

extension Request {
    /// Decodes a JSON body, or a `multipart/form-data` one carrying the same fields: text parts
    /// become string fields (numbers where `numericFields` says so), file parts named in
    /// `fileFields` become base64 strings, and the result goes through the same strict decoding
    /// as JSON. So both forms accept exactly the same fields and fail the same way.
    func decodeJSONOrFormBody<Body: Decodable>(_ type: Body.Type, numericFields: Set<String> = [],
                                               fileFields: Set<String>) throws -> Body {
        guard let contentType = headers["Content-Type"], MultipartFormData.isFormData(contentType) else {
            return try decodeJSONBody(type)
        }
        guard let boundary = HeaderParameters.split(contentType).parameters["boundary"], !boundary.isEmpty else {
            throw APIError.badRequest("multipart/form-data needs a boundary parameter", code: "malformed_multipart")
        }
        var object: [String: Any] = [:]
        for part in try MultipartFormData.parse(body, boundary: boundary) {
            guard object[part.name] == nil else {
                throw APIError.badRequest("\(part.name): given more than once", code: "malformed_multipart")
            }
            if fileFields.contains(part.name) {
                object[part.name] = Data(part.content).base64EncodedString()
            } else if numericFields.contains(part.name), let number = Double(String(decoding: part.content, as: UTF8.self)),
                      number.isFinite {
                object[part.name] = Self.jsonNumber(String(decoding: part.content, as: UTF8.self), number)
            } else {
                object[part.name] = String(decoding: part.content, as: UTF8.self)
            }
        }
        var json = self
        json.headers.set("Content-Type", "application/json")
        do {
            json.body = Array(try JSONSerialization.data(withJSONObject: object))
        } catch {
            throw APIError.unprocessable("a form value cannot be represented: \(error)", code: "invalid_value")
        }
        return try json.decodeJSONBody(type)
    }

    /// An integer literal stays an integer (seeds beyond 2^53 keep every digit); others are doubles.
    private static func jsonNumber(_ text: String, _ value: Double) -> Any {
        if let integer = UInt64(text) { return integer }
        if let integer = Int64(text) { return integer }
        return value
    }
}
