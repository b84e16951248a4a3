import Foundation

/// A `multipart/form-data` body (RFC 7578) split into its parts: each a named field, a file
/// when it has a filename. Parsing is strict; any framing error is 400 `malformed_multipart`.
///
/// Layout: `--B CRLF headers CRLF CRLF content CRLF --B CRLF … CRLF --B--`, where B is the
/// boundary from the Content-Type; text before the first delimiter (the preamble) is ignored.
enum MultipartFormData {
    struct Part {
        let name: String
        let filename: String?
        let contentType: String?
        let content: ArraySlice<UInt8>
    }

    /// More parts than any of our forms has means a hostile or broken client.
    static let maxParts = 64

    /// Whether a Content-Type is `multipart/form-data` (any parameters, any case).
    static func isFormData(_ contentType: String) -> Bool {
        HeaderParameters.split(contentType).value.lowercased() == "multipart/form-data"
    }

    static func parse(_ body: [UInt8], boundary: String) throws -> [Part] {
        guard (1...70).contains(boundary.utf8.count) else { throw malformed("the boundary must have 1 to 70 characters") }
        let delimiter = Array("--\(boundary)".utf8)
        let separator = Array("\r\n".utf8) + delimiter
        guard var cursor = firstDelimiter(delimiter, in: body) else { throw malformed("no boundary delimiter in the body") }
        var parts: [Part] = []
        while true {
            cursor += delimiter.count
            if body[cursor...].starts(with: Array("--".utf8)) { return parts }
            guard body[cursor...].starts(with: Array("\r\n".utf8)) else { throw malformed("a delimiter must end its line") }
            cursor += 2
            guard let headerEnd = find(Array("\r\n\r\n".utf8), in: body, from: cursor) else { throw malformed("a part's headers do not end") }
            let headers = String(decoding: body[cursor..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let contentEnd = find(separator, in: body, from: contentStart) else { throw malformed("a part does not end with the boundary") }
            parts.append(try part(headers: headers, content: body[contentStart..<contentEnd]))
            guard parts.count <= maxParts else { throw malformed("more than \(maxParts) parts") }
            cursor = contentEnd + 2
        }
    }

    private static func part(headers: String, content: ArraySlice<UInt8>) throws -> Part {
        var disposition: HeaderParameters?
        var contentType: String?
        for line in headers.components(separatedBy: "\r\n") where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw malformed("part header without a colon: \(line.prefix(80))") }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = String(line[line.index(after: colon)...])
            if name == "content-disposition" { disposition = HeaderParameters.split(value) }
            if name == "content-type" { contentType = value.trimmingCharacters(in: .whitespaces) }
        }
        guard let disposition, disposition.value.lowercased() == "form-data", let name = disposition.parameters["name"], !name.isEmpty else {
            throw malformed("every part needs 'Content-Disposition: form-data; name=\"…\"'")
        }
        return Part(name: name, filename: disposition.parameters["filename"], contentType: contentType, content: content)
    }

    /// The first delimiter, at the very start or after a line break (the end of the preamble).
    private static func firstDelimiter(_ delimiter: [UInt8], in body: [UInt8]) -> Int? {
        if body.starts(with: delimiter) { return 0 }
        return find(Array("\r\n".utf8) + delimiter, in: body, from: 0).map { $0 + 2 }
    }

    /// Index of the first occurrence of `needle` in `haystack` at or after `start`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    private static func malformed(_ message: String) -> APIError {
        .badRequest("multipart body: \(message)", code: "malformed_multipart")
    }
}
