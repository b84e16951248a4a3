import Foundation

/// The files of the public folder (`public_dir`: the playground page, `openapi.json`), served
/// for `GET`/`HEAD` on any path that no route has (see `Router.match`).
///
/// A URL path names a file only if every segment is a plain name: no empty segment, none
/// starting with "." (so no `..`, `.`, or hidden file), no backslash or NUL. The path as
/// libmicrohttpd hands it over is already percent-decoded, so `%2e%2e` arrives as `..`. What is
/// left is joined under the folder and resolved with `realpath`: a symbolic link leading out of
/// the folder, a directory or anything but a regular file is not served. `/` and paths ending
/// in `/` name that folder's `index.html`.
///
/// The folder is resolved against the working directory on every lookup, so it may appear (or
/// be replaced) while the server runs; files are read per request (they are small).
public struct StaticFiles: Sendable {
    /// The folder as configured (relative to the working directory, or absolute).
    public let directory: String

    /// The file a path ending in "/" names.
    static let indexFile = "index.html"

    public init(directory: String) {
        self.directory = directory
    }

    /// The route that answers every static file: what `/metrics` counts them under and what
    /// handles them. Its pattern is a label only; files are found by `resolve`, not by it.
    var route: Route {
        let files = self
        return Route(.get, "/{file}", availableWhileLoading: true) { request, _ in try files.respond(to: request) }
    }

    /// The file `path` names inside the folder, or nil (nothing to serve: 404).
    public func resolve(_ path: String) -> URL? {
        guard path.hasPrefix("/") else { return nil }
        var relative = String(path.dropFirst())
        if relative.isEmpty || relative.hasSuffix("/") { relative += Self.indexFile }
        let segments = relative.split(separator: "/", omittingEmptySubsequences: false)
        for segment in segments {
            guard !segment.isEmpty, !segment.hasPrefix("."),
                  !segment.contains("\\"), !segment.unicodeScalars.contains(where: { $0.value == 0 })
            else { return nil }
        }
        guard let root = Self.realPath(directory),
              let file = Self.realPath(root + "/" + segments.joined(separator: "/")),
              file.hasPrefix(root.hasSuffix("/") ? root : root + "/")
        else { return nil }
        var info = stat()
        guard stat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return URL(fileURLWithPath: file)
    }

    /// The canonical absolute path (symbolic links resolved), or nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
