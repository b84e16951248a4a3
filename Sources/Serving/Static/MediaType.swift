/// Media types of the files the public folder holds, by file-name extension; text types carry
/// their charset so browsers never guess (and `nosniff` forbids them to).
enum MediaType {
    static let byExtension: [String: String] = [
        "html": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8",
        "mjs": "text/javascript; charset=utf-8",
        "json": "application/json",
        "txt": "text/plain; charset=utf-8",
        "md": "text/markdown; charset=utf-8",
        "svg": "image/svg+xml",
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "gif": "image/gif",
        "webp": "image/webp",
        "ico": "image/x-icon",
        "wav": "audio/wav",
        "flac": "audio/flac",
        "ogg": "audio/ogg",
        "woff2": "font/woff2",
    ]

    /// Anything else is served as bytes to download, never rendered.
    static let fallback = "application/octet-stream"

    static func of(fileName: String) -> String {
        guard let dot = fileName.lastIndex(of: ".") else { return fallback }
        return byExtension[fileName[fileName.index(after: dot)...].lowercased()] ?? fallback
    }

    /// Pages may load scripts, styles and data from this server only (the machine may be offline
    /// and the playground needs no CDN); audio may also come from `blob:`/`data:` URLs, which is
    /// how the playground plays the WAV it received as base64.
    static let pageSecurityPolicy = "default-src 'self'; media-src 'self' blob: data:; img-src 'self' data:; "
        + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
}
