import Testing
@testable import Serving

/// Path patterns and the 404/405 distinction, without HTTP.
@Suite struct RouterTests {
    static let ok: RouteHandler = { _, _ in Response() }
    static let router = Router(routes: [
        Route(.get, "/v1/voices", handler: ok),
        Route(.post, "/v1/voices", handler: ok),
        Route(.delete, "/v1/voices/{id}", handler: ok),
    ])

    @Test func parametersBindOneSegment() {
        guard case let .found(route, parameters) = Self.router.match(method: .delete, path: "/v1/voices/abc-1") else {
            Issue.record("expected a match")
            return
        }
        #expect(route.pattern.description == "/v1/voices/{id}")
        #expect(parameters["id"] == "abc-1")
    }

    @Test(arguments: ["/v1/voices/", "/v1/voices/a/b", "/v1/voice", "v1/voices", "/v1//voices"])
    func nearMissesAreNotFound(path: String) {
        guard case .notFound = Self.router.match(method: .delete, path: path) else {
            Issue.record("\(path) should not match")
            return
        }
    }

    @Test func knownPathWithOtherMethodListsAllowed() {
        guard case let .methodNotAllowed(allowed) = Self.router.match(method: .put, path: "/v1/voices") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == [.get, .post, .head, .options])
    }

    @Test func headFindsTheGetRoute() {
        guard case .found = Self.router.match(method: .head, path: "/v1/voices") else {
            Issue.record("HEAD should use the GET route")
            return
        }
    }
}
