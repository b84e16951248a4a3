import Testing
@testable import Serving

/// `/health` and `/v1/models` over real HTTP.
@Suite struct HealthAndModelsTests {
    @Test func healthSaysLoadingBeforeModelsLoadThenOK() throws {
        try TestServer.with(ready: false) { server in
            let loading = try TestHTTPClient.send(port: server.port, "GET", "/health")
            #expect(loading.status == 503)
            #expect(loading.json?["status"] as? String == "loading")
            #expect(loading.header("Retry-After") == "1")
            #expect(loading.header("Content-Type") == "application/json")

            try server.loadModels()
            let ready = try TestHTTPClient.send(port: server.port, "GET", "/health")
            #expect(ready.status == 200)
            #expect(ready.json?["status"] as? String == "ok")
            #expect(ready.json?["version"] as? String == ServingVersion.current)
            #expect((ready.json?["uptime_seconds"] as? Double ?? -1) >= 0)
            #expect(ready.json?["models_loaded"] as? Int == 0)
        }
    }

    @Test func otherRoutesAnswer503WithRetryAfterWhileLoading() throws {
        try TestServer.with(ready: false) { server in
            let reply = try TestHTTPClient.send(port: server.port, "GET", "/v1/models")
            #expect(reply.status == 503)
            #expect(reply.errorCode == "loading")
            #expect(reply.header("Retry-After") == "1")
        }
    }

    @Test func modelsListIsEmptyWithoutModels() throws {
        try TestServer.with { server in
            let reply = try TestHTTPClient.send(port: server.port, "GET", "/v1/models")
            #expect(reply.status == 200)
            #expect(reply.text == #"{"models":[]}"#)
        }
    }

    @Test func headAnswersLikeGetWithoutBody() throws {
        try TestServer.with { server in
            let head = try TestHTTPClient.send(port: server.port, "HEAD", "/v1/models")
            let get = try TestHTTPClient.send(port: server.port, "GET", "/v1/models")
            #expect(head.status == 200 && get.status == 200)
            #expect(head.body.isEmpty && !get.body.isEmpty)
            #expect(head.header("Content-Type") == get.header("Content-Type"))
            #expect(head.header("Content-Length") == get.header("Content-Length"))
        }
    }

    @Test func queryStringDoesNotChangeTheRoute() throws {
        try TestServer.with { server in
            let reply = try TestHTTPClient.send(port: server.port, "GET", "/health?verbose=1")
            #expect(reply.status == 200)
        }
    }
}
