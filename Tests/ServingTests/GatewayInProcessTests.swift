import Foundation
import Testing
@testable import Serving

/// The gateway's checks called in process with constructed requests (no sockets).
@Suite struct GatewayInProcessTests {
    static func readyServer(_ config: ServerConfig = TestServer.config(adminKey: "k", maxBodyBytes: 10)) throws -> VGPOServer {
        let server = VGPOServer(config: config)
        try server.loadModels()
        return server
    }

    @Test func bodyOverTheLimitIs413() throws {
        let gateway = try Self.readyServer().gateway
        let request = Request(method: .post, path: "/admin/reload", headers: ["Authorization": "Bearer k"],
                              body: Array(repeating: 0, count: 11))
        let response = gateway.handle(request)
        #expect(response.status == 413)
        #expect(APIError.decode(from: response.body, status: response.status)?.code == "body_too_large")
    }

    @Test func authIsCheckedBeforeTheBodyLimit() throws {
        let gateway = try Self.readyServer().gateway
        let request = Request(method: .post, path: "/admin/reload", body: Array(repeating: 0, count: 11))
        #expect(gateway.handle(request).status == 401)
    }

    @Test func admissionRejectsWithoutNeedingTheBody() throws {
        let gateway = try Self.readyServer().gateway
        guard case let .reject(response) = gateway.admit(Request(method: .get, path: "/missing")) else {
            Issue.record("an unknown path must be rejected at admission")
            return
        }
        #expect(response.status == 404)
        guard case let .accept(limit) = gateway.admit(Request(method: .get, path: "/v1/models")) else {
            Issue.record("a known route must be admitted")
            return
        }
        #expect(limit == 10)
    }

    @Test func stoppingServerRefusesNewWorkButKeepsHealth() throws {
        let server = try Self.readyServer()
        server.status.enter(.stopping)
        let models = server.gateway.handle(Request(method: .get, path: "/v1/models"))
        #expect(models.status == 503)
        #expect(models.headers["Retry-After"] == "1")
        let health = server.gateway.handle(Request(method: .get, path: "/health"))
        #expect(health.status == 503)
        #expect(String(decoding: health.body, as: UTF8.self) == #"{"status":"stopping"}"#)
    }

    @Test func everyErrorResponseIsJSONWithAnErrorStatus() throws {
        let gateway = try Self.readyServer().gateway
        let requests = [
            Request(method: .get, path: "/missing"),
            Request(method: .delete, path: "/v1/models"),
            Request(method: .post, path: "/admin/reload"),
            Request(method: .post, path: "/admin/reload", headers: ["Authorization": "Bearer nope"]),
            Request(method: .post, path: "/admin/reload", headers: ["Authorization": "Bearer k"], body: Array(repeating: 1, count: 99)),
        ]
        for request in requests {
            let response = gateway.handle(request)
            #expect(response.status >= 400, "\(request.method) \(request.path)")
            #expect(response.headers["Content-Type"] == "application/json")
            #expect(APIError.decode(from: response.body, status: response.status) != nil)
        }
    }

    @Test func reloadOfASpeechModelListedAsAValueModelIs500NamingIt() throws {
        var config = TestServer.config(adminKey: "k")
        config.models = [ModelSpec(name: "critic", kind: .value, path: try TinyModel.folder.path)]
        let server = VGPOServer(config: config)
        #expect(throws: ModelLoadError.self) { try server.loadModels() }
        server.status.enter(.ready)
        let response = server.gateway.handle(Request(method: .post, path: "/admin/reload", headers: ["Authorization": "Bearer k"]))
        #expect(response.status == 500)
        let error = APIError.decode(from: response.body, status: 500)
        #expect(error?.code == "model_load_failed")
        #expect(error?.message.contains("not a value model") == true)
    }

    @Test func reloadOfAMissingModelFolderIs500NamingIt() throws {
        var config = TestServer.config(adminKey: "k")
        config.models = [ModelSpec(name: "base", kind: .ardm, path: "/no/such/model")]
        let server = VGPOServer(config: config)
        #expect(throws: ModelLoadError.self) { try server.loadModels() }
        server.status.enter(.ready)
        let response = server.gateway.handle(Request(method: .post, path: "/admin/reload", headers: ["Authorization": "Bearer k"]))
        #expect(response.status == 500)
        let error = APIError.decode(from: response.body, status: 500)
        #expect(error?.code == "model_load_failed")
        #expect(error?.message.contains("/no/such/model") == true)
    }
}
