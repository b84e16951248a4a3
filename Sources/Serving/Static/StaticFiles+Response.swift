import Foundation

extension StaticFiles {
    /// The file's bytes with its media type; 304 when the client's `If-None-Match` already has it.
    func respond(to request: Request) throws -> Response {
        guard let url = resolve(request.path) else {
            throw APIError.notFound("no route or file for \(request.path)")
        }
        let bytes: [UInt8]
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            bytes = Array(try Data(contentsOf: url))
        } catch {
            throw APIError.notFound("no route or file for \(request.path)")
        }
        // Size and modification time, enough to tell versions of a file apart (RFC 9110 §8.8.3).
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let etag = "\"\(String(bytes.count, radix: 16))-\(String(UInt64(max(0, modified * 1000)), radix: 16))\""
        var headers: HTTPHeaders = [
            "Content-Type": MediaType.of(fileName: url.lastPathComponent),
            "ETag": etag,
            // Revalidate every time (cheap with the ETag): the page changes with the server.
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff",
        ]
        if url.pathExtension.lowercased() == "html" {
            headers.set("Content-Security-Policy", MediaType.pageSecurityPolicy)
        }
        if let tags = request.headers["If-None-Match"],
           tags.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag }) {
            return .empty(status: 304, headers: headers)
        }
        return Response(status: 200, headers: headers, body: bytes)
    }
}
