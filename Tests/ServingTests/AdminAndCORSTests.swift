import Testing
@testable import Serving

/// The admin key check and CORS, over real HTTP.
@Suite struct AdminAndCORSTests {
    static let key = "test-admin-key-0123456789"

    @Test func reloadWithoutKeyIs401() throws {
        try TestServer.with(TestServer.config(adminKey: Self.key)) { server in
            let reply = try TestHTTPClient.send(port: server.port, "POST", "/admin/reload")
            #expect(reply.status == 401)
            #expect(reply.errorCode == "missing_api_key")
            #expect(reply.header("WWW-Authenticate") == "Bearer")
        }
    }

    @Test(arguments: ["Bearer wrong", "Bearer \(AdminAndCORSTests.key)x", "Bearer test-admin-key-012345678"])
    func reloadWithWrongKeyIs403(authorization: String) throws {
        try TestServer.with(TestServer.config(adminKey: Self.key)) { server in
            let reply = try TestHTTPClient.send(port: server.port, "POST", "/admin/reload", headers: [("Authorization", authorization)])
            #expect(reply.status == 403)
            #expect(reply.errorCode == "invalid_api_key")
        }
    }

    @Test(arguments: ["Basic \(AdminAndCORSTests.key)", "Bearer", AdminAndCORSTests.key])
    func authorizationThatIsNotABearerTokenIs401(authorization: String) throws {
        try TestServer.with(TestServer.config(adminKey: Self.key)) { server in
            let reply = try TestHTTPClient.send(port: server.port, "POST", "/admin/reload", headers: [("Authorization", authorization)])
            #expect(reply.status == 401)
        }
    }

    @Test func reloadWithKeyReloadsTheConfiguredModels() throws {
        try TestServer.with(TestServer.config(adminKey: Self.key)) { server in
            let reply = try TestHTTPClient.send(
                port: server.port, "POST", "/admin/reload", headers: [("Authorization", "bearer \(Self.key)")])
            #expect(reply.status == 200)
            #expect(reply.text == #"{"reloaded":[]}"#)
        }
    }

    @Test func adminRoutesAreDisabledWithoutAConfiguredKey() throws {
        try TestServer.with(TestServer.config(adminKey: nil)) { server in
            let reply = try TestHTTPClient.send(port: server.port, "POST", "/admin/reload", headers: [("Authorization", "Bearer anything")])
            #expect(reply.status == 403)
            #expect(reply.errorCode == "admin_disabled")
        }
    }

    @Test func preflightFromAnAllowedOriginGetsCORSHeaders() throws {
        try TestServer.with(TestServer.config(origins: ["https://app.example"])) { server in
            let reply = try TestHTTPClient.send(port: server.port, "OPTIONS", "/v1/models", headers: [
                ("Origin", "https://app.example"), ("Access-Control-Request-Method", "GET"),
            ])
            #expect(reply.status == 204)
            #expect(reply.header("Access-Control-Allow-Origin") == "https://app.example")
            #expect(reply.header("Access-Control-Allow-Methods") == "GET, HEAD, OPTIONS")
            #expect(reply.header("Access-Control-Allow-Headers")?.contains("Authorization") == true)
            #expect(reply.header("Vary") == "Origin")
        }
    }

    @Test func preflightFromAnotherOriginGetsNoCORSHeaders() throws {
        try TestServer.with(TestServer.config(origins: ["https://app.example"])) { server in
            let reply = try TestHTTPClient.send(port: server.port, "OPTIONS", "/v1/models", headers: [
                ("Origin", "https://evil.example"), ("Access-Control-Request-Method", "GET"),
            ])
            #expect(reply.status == 204)
            #expect(reply.header("Access-Control-Allow-Origin") == nil)
            #expect(reply.header("Allow") == "GET, HEAD, OPTIONS")
        }
    }

    @Test func actualRequestsAndErrorsCarryTheAllowOriginHeader() throws {
        try TestServer.with(TestServer.config(origins: ["*"])) { server in
            let ok = try TestHTTPClient.send(port: server.port, "GET", "/v1/models", headers: [("Origin", "https://any.example")])
            #expect(ok.header("Access-Control-Allow-Origin") == "*")
            let missing = try TestHTTPClient.send(port: server.port, "GET", "/nope", headers: [("Origin", "https://any.example")])
            #expect(missing.status == 404)
            #expect(missing.header("Access-Control-Allow-Origin") == "*")
        }
    }

    @Test func preflightOnAnUnknownPathIs404() throws {
        try TestServer.with(TestServer.config(origins: ["*"])) { server in
            let reply = try TestHTTPClient.send(port: server.port, "OPTIONS", "/nope", headers: [("Origin", "https://a.example")])
            #expect(reply.status == 404)
        }
    }
}
