import Foundation

/// A header value with `; key=value` parameters (values optionally quoted), e.g.
/// `form-data; name="text"` or `multipart/form-data; boundary=abc`. Keys are lower-cased.
struct HeaderParameters {
    let value: String
    let parameters: [String: String]

    static func split(_ header: String) -> HeaderParameters {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        for character in header {
            if character == "\"" { quoted.toggle() }
            if character == ";" && !quoted {
                pieces.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        pieces.append(current)
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let key = piece[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            parameters[key] = value
        }
        return HeaderParameters(value: pieces[0].trimmingCharacters(in: .whitespaces), parameters: parameters)
    }
}
