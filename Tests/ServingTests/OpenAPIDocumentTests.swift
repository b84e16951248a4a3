import Foundation
import Testing
@testable import Serving

/// `public/openapi.json` describes exactly the routes the server has, so it cannot drift.
@Suite struct OpenAPIDocumentTests {
    @Test func documentListsEveryRouteAndNoOther() throws {
        let url = TestServer.packageRoot.appendingPathComponent("public/openapi.json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        let router = VGPOServer(config: TestServer.config()).gateway.router
        let served = Set(router.routes.map { "\($0.method) \($0.pattern)" })
        #expect(documented == served)
    }
}
