import Foundation
import Testing
@testable import Serving

/// The public folder over real HTTP: the playground at `/`, media types, caching, wrong
/// methods, and every way out of the folder answered 404 without the outside file's bytes.
@Suite struct StaticFilesTests {
    static let publicDir = TestServer.packageRoot.appendingPathComponent("public")

    /// A public folder in a scratch directory, beside a secret file it must never serve:
    ///
    ///     secret.txt                     outside the folder
    ///     site/index.html, site/a.css, site/.hidden, site/sub/index.html, site/sub/page.txt
    ///     site/escape.txt -> ../secret.txt          (link out: refused)
    ///     site/outside -> ..                        (directory link out: refused)
    ///     site/inside.txt -> sub/page.txt           (link within: served)
    static func scratchSite() throws -> URL {
        let root = TestServer.temporaryDirectory("static")
        let site = root.appendingPathComponent("site")
        let fm = FileManager.default
        try fm.createDirectory(at: site.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data("TOP SECRET".utf8).write(to: root.appendingPathComponent("secret.txt"))
        try Data("<!doctype html><title>site</title>".utf8).write(to: site.appendingPathComponent("index.html"))
        try Data("body { color: black }".utf8).write(to: site.appendingPathComponent("a.css"))
        try Data("hidden".utf8).write(to: site.appendingPathComponent(".hidden"))
        try Data("<!doctype html><title>sub</title>".utf8).write(to: site.appendingPathComponent("sub/index.html"))
        try Data("page".utf8).write(to: site.appendingPathComponent("sub/page.txt"))
        try fm.createSymbolicLink(atPath: site.appendingPathComponent("escape.txt").path, withDestinationPath: "../secret.txt")
        try fm.createSymbolicLink(atPath: site.appendingPathComponent("outside").path, withDestinationPath: "..")
        try fm.createSymbolicLink(atPath: site.appendingPathComponent("inside.txt").path, withDestinationPath: "sub/page.txt")
        return site
    }

    static func siteConfig() throws -> ServerConfig {
        var config = TestServer.config()
        config.publicDir = try scratchSite().path
        return config
    }

    @Test func rootServesThePlaygroundPage() throws {
        try TestServer.with { server throws in
            let reply = try TestHTTPClient.send(port: server.port, "GET", "/")
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type") == "text/html; charset=utf-8")
            #expect(reply.header("X-Content-Type-Options") == "nosniff")
            #expect(reply.header("Content-Security-Policy")?.contains("default-src 'self'") == true)
            #expect(reply.header("Cache-Control") == "no-cache")
            #expect(reply.body == Array(try Data(contentsOf: Self.publicDir.appendingPathComponent("index.html"))))
            #expect(reply.text.contains("/v1/tts") || reply.text.contains("playground.js"))
            #expect(try TestHTTPClient.send(port: server.port, "GET", "/index.html").body == reply.body)
        }
    }

    @Test(arguments: [("/openapi.json", "application/json"), ("/playground.js", "text/javascript; charset=utf-8"),
                      ("/playground.css", "text/css; charset=utf-8")])
    func publicFilesHaveTheirMediaType(path: String, type: String) throws {
        try TestServer.with { server throws in
            let reply = try TestHTTPClient.send(port: server.port, "GET", path)
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type") == type)
            #expect(reply.body == Array(try Data(contentsOf: Self.publicDir.appendingPathComponent(String(path.dropFirst())))))
            #expect(reply.header("Content-Security-Policy") == nil)
        }
    }

    @Test func openAPIDocumentIsServedAsJSON() throws {
        try TestServer.with { server throws in
            let reply = try TestHTTPClient.send(port: server.port, "GET", "/openapi.json?download=1")
            #expect(reply.status == 200)
            #expect(reply.json?["openapi"] as? String != nil)
        }
    }

    @Test func headAnswersWithoutBody() throws {
        try TestServer.with { server throws in
            let reply = try TestHTTPClient.send(port: server.port, "HEAD", "/")
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type") == "text/html; charset=utf-8")
            #expect(reply.body.isEmpty)
        }
    }

    @Test func matchingETagIs304WithoutBody() throws {
        try TestServer.with { server throws in
            let first = try TestHTTPClient.send(port: server.port, "GET", "/openapi.json")
            let etag = try #require(first.header("ETag"))
            let again = try TestHTTPClient.send(port: server.port, "GET", "/openapi.json",
                                                headers: [("If-None-Match", "\"other\", \(etag)")])
            #expect(again.status == 304)
            #expect(again.body.isEmpty)
            let stale = try TestHTTPClient.send(port: server.port, "GET", "/openapi.json", headers: [("If-None-Match", "\"other\"")])
            #expect(stale.status == 200)
        }
    }

    @Test(arguments: [("POST", "/"), ("PUT", "/index.html"), ("DELETE", "/openapi.json"), ("POST", "/playground.js")])
    func otherMethodsAre405AllowingGetAndHead(method: String, path: String) throws {
        try TestServer.with { server throws in
            let reply = try TestHTTPClient.send(port: server.port, method, path)
            #expect(reply.status == 405)
            #expect(reply.errorCode == "method_not_allowed")
            #expect(reply.header("Allow") == "GET, HEAD, OPTIONS")
            #expect(reply.header("Content-Type") == "application/json")
        }
    }

    @Test func optionsListsTheMethods() throws {
        try TestServer.with { server throws in
            let reply = try TestHTTPClient.send(port: server.port, "OPTIONS", "/")
            #expect(reply.status == 204)
            #expect(reply.header("Allow") == "GET, HEAD, OPTIONS")
        }
    }

    @Test(arguments: ["/nope.html", "/missing/", "/openapi.json/", "/index.htm", "/public/index.html", "/v1/nope.js"])
    func unknownFilesAre404(path: String) throws {
        try TestServer.with { server throws in
            let reply = try TestHTTPClient.send(port: server.port, "GET", path)
            #expect(reply.status == 404)
            #expect(reply.errorCode == "not_found")
            // Unknown paths stay 404 (not 405) for other methods too.
            #expect(try TestHTTPClient.send(port: server.port, "POST", path).status == 404)
        }
    }

    /// Request targets exactly as sent on the wire, so encodings reach the server unchanged.
    @Test(arguments: [
        "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt",
        "/sub/../../secret.txt", "/sub/%2e%2e/%2e%2e/secret.txt", "/./index.html", "/..\\secret.txt",
        "/escape.txt", "/outside/secret.txt", "/outside/../secret.txt", "/.hidden", "/%2ehidden", "/sub",
        "//index.html", "/sub//page.txt", "/..%00/secret.txt", "/../secret.txt%00.html", "http://127.0.0.1/../secret.txt",
        "/etc/passwd", "//etc/passwd", "/%2fetc%2fpasswd", "/" + TestServer.scratchRoot.path + "/secret.txt",
    ])
    func pathsOutOfTheFolderAre404(target: String) throws {
        try TestServer.with(try Self.siteConfig()) { server throws in
            let raw = "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            let reply = try TestHTTPClient.sendRaw(port: server.port, Array(raw.utf8))
            // libmicrohttpd itself answers 400 to a few malformed targets; never 200, never the secret.
            #expect([400, 404].contains(reply.status), "\(target): \(reply.status)")
            #expect(!reply.text.contains("TOP SECRET"))
            #expect(reply.text != "hidden")
            #expect(try TestHTTPClient.send(port: server.port, "GET", "/health").status == 200)
        }
    }

    /// libmicrohttpd decodes the path into a C string, so an encoded NUL ends it: the server sees
    /// only what comes before, and answers for that (a file inside the folder, or 404).
    @Test func encodedNULEndsThePath() throws {
        try TestServer.with(try Self.siteConfig()) { server throws in
            let cut = try TestHTTPClient.send(port: server.port, "GET", "/sub/page.txt%00.html")
            #expect(cut.status == 200)
            #expect(cut.text == "page")
            #expect(cut.header("Content-Type") == "text/plain; charset=utf-8")
            #expect(try TestHTTPClient.send(port: server.port, "GET", "/escape.txt%00.html").status == 404)
        }
    }

    @Test(arguments: [("/", "<title>site</title>"), ("/sub/", "<title>sub</title>"), ("/sub/page.txt", "page"),
                      ("/inside.txt", "page"), ("/a.css", "color")])
    func filesAndLinksWithinTheFolderAreServed(path: String, content: String) throws {
        try TestServer.with(try Self.siteConfig()) { server throws in
            let reply = try TestHTTPClient.send(port: server.port, "GET", path)
            #expect(reply.status == 200)
            #expect(reply.text.contains(content))
        }
    }

    @Test func missingFolderServesNothing() throws {
        var config = TestServer.config()
        config.publicDir = TestServer.scratchRoot.appendingPathComponent("no-such-folder").path
        try TestServer.with(config) { server throws in
            #expect(try TestHTTPClient.send(port: server.port, "GET", "/").status == 404)
            #expect(try TestHTTPClient.send(port: server.port, "GET", "/health").status == 200)
        }
    }

    @Test func pageLoadsWhileModelsLoad() throws {
        try TestServer.with(ready: false) { server throws in
            #expect(try TestHTTPClient.send(port: server.port, "GET", "/").status == 200)
            #expect(try TestHTTPClient.send(port: server.port, "GET", "/v1/voices").status == 503)
        }
    }

    @Test func filesAreCountedUnderOneMetricsLabel() throws {
        try TestServer.with { server throws in
            _ = try TestHTTPClient.send(port: server.port, "GET", "/")
            _ = try TestHTTPClient.send(port: server.port, "GET", "/openapi.json")
            let text = try TestHTTPClient.send(port: server.port, "GET", "/metrics").text
            #expect(text.contains(#"vgpo_http_requests_total{route="/{file}",method="GET",status="200"} 2"#))
        }
    }

    @Test(arguments: [("/", "index.html"), ("/sub/", "sub/index.html"), ("/inside.txt", "sub/page.txt")])
    func resolverMapsPathsToFiles(path: String, file: String) throws {
        let site = try Self.scratchSite()
        let resolved = StaticFiles(directory: site.path).resolve(path)
        #expect(resolved?.path == StaticFiles.realPath(site.appendingPathComponent(file).path))
    }

    @Test(arguments: ["", "index.html", "/..", "/../site/index.html", "/escape.txt", "/outside", "/sub", "/.hidden", "/a\\b"])
    func resolverRefuses(path: String) throws {
        #expect(StaticFiles(directory: try Self.scratchSite().path).resolve(path) == nil)
    }
}
