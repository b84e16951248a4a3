import Testing
@testable import Serving

/// Routing and limit errors over real HTTP: each is JSON `{"error": {"code", "message"}}` with
/// the right status, and the server keeps serving afterwards.
@Suite struct ErrorResponseTests {
    @Test(arguments: ["/nope", "/v1", "/v1/models/", "//health", "/health/extra", "/v1/modelsx"])
    func unknownPathIs404(path: String) throws {
        try TestServer.with { server in
            let reply = try TestHTTPClient.send(port: server.port, "GET", path)
            #expect(reply.status == 404)
            #expect(reply.errorCode == "not_found")
            #expect(reply.header("Content-Type") == "application/json")
            #expect(try TestHTTPClient.send(port: server.port, "GET", "/health").status == 200)
        }
    }

    @Test(arguments: [("DELETE", "/health"), ("POST", "/v1/models"), ("GET", "/admin/reload"), ("PUT", "/v1/models"), ("BREW", "/health")])
    func wrongMethodIs405WithAllow(method: String, path: String) throws {
        try TestServer.with { server in
            let reply = try TestHTTPClient.send(port: server.port, method, path)
            #expect(reply.status == 405)
            #expect(reply.errorCode == "method_not_allowed")
            let allow = reply.header("Allow") ?? ""
            #expect(allow.contains("OPTIONS"))
            #expect(path == "/admin/reload" ? allow.hasPrefix("POST") : allow.hasPrefix("GET, HEAD"))
        }
    }

    @Test func declaredOversizedBodyIs413WithoutSendingIt() throws {
        try TestServer.with(TestServer.config(adminKey: "k", maxBodyBytes: 1000)) { server in
            // Only the head is sent: the server must answer from Content-Length alone.
            let head = "POST /admin/reload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nContent-Length: 100000000\r\n\r\n"
            let reply = try TestHTTPClient.sendRaw(port: server.port, Array(head.utf8))
            #expect(reply.status == 413)
            #expect(reply.errorCode == "body_too_large")
            #expect(reply.header("Connection")?.lowercased() == "close")
            #expect(try TestHTTPClient.send(port: server.port, "GET", "/health").status == 200)
        }
    }

    @Test func chunkedBodyPastTheLimitIs413() throws {
        try TestServer.with(TestServer.config(adminKey: "k", maxBodyBytes: 1000)) { server in
            var request = "POST /admin/reload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            for _ in 0..<3 { request += "400\r\n" + String(repeating: "x", count: 1024) + "\r\n" }
            request += "0\r\n\r\n"
            let reply = try TestHTTPClient.sendRaw(port: server.port, Array(request.utf8))
            #expect(reply.status == 413)
            #expect(reply.errorCode == "body_too_large")
        }
    }

    @Test func bodyWithinTheLimitIsAccepted() throws {
        try TestServer.with(TestServer.config(adminKey: "k", maxBodyBytes: 1000)) { server in
            let reply = try TestHTTPClient.send(
                port: server.port, "POST", "/admin/reload", headers: [("Authorization", "Bearer k")],
                body: Array(repeating: UInt8(ascii: " "), count: 1000))
            #expect(reply.status == 200)
        }
    }

    @Test(arguments: ["GET  HTTP/1.1\r\nHost: x\r\n\r\n", "GET /health HTTP/1.1\r\nHost: x\r\nno colon\r\n\r\n",
                      "GET /health HTTP/9.9\r\nHost: x\r\n\r\n"])
    func malformedFramingIsRefusedAndTheServerKeepsServing(raw: String) throws {
        try TestServer.with { server in
            // libmicrohttpd answers framing errors itself, before any route (its body is HTML, not
            // our JSON); what matters here is an error status and a server that keeps serving.
            let reply = try TestHTTPClient.sendRaw(port: server.port, Array(raw.utf8))
            #expect(reply.status >= 400)
            #expect(try TestHTTPClient.send(port: server.port, "GET", "/health").status == 200)
        }
    }

    @Test func garbageIsDroppedAndTheServerKeepsServing() throws {
        try TestServer.with { server in
            // Not HTTP at all: libmicrohttpd closes the connection without a reply.
            _ = try? TestHTTPClient.sendRaw(port: server.port, Array("GARBAGE\r\n\r\n".utf8))
            let health = try TestHTTPClient.send(port: server.port, "GET", "/health")
            #expect(health.status == 200)
        }
    }
}
