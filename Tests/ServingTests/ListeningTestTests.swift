import Foundation
import Testing
@testable import Serving

/// The listening-test backend over real HTTP: creating tests (uploaded and generated audio),
/// the listener flow with its bad inputs, and results on ratings whose answer is known.
@Suite struct ListeningTestTests {
    static let admin = "listening-secret"
    static var auth: [(String, String)] { [("Authorization", "Bearer \(admin)"), ("Content-Type", "application/json")] }

    /// A test of `items` items with uploaded audio: system A's clips are 1 s tones, system B's
    /// 1.5 s, so a client can tell the sides apart by size and undo the flip itself.
    static func uploadedTest(items: Int, kind: String = "similarity") -> [String: Any] {
        let a = Data(TestAudio.toneWAV(seconds: 1)).base64EncodedString(), b = Data(TestAudio.toneWAV(seconds: 1.5)).base64EncodedString()
        return ["name": "N-CMOS test", "kind": kind, "system_a": ["label": "base"], "system_b": ["label": "vgpo"],
                "items": (0..<items).map { ["text": "Sentence number \($0 + 1).", "audio_a": [a], "audio_b": [b]] }]
    }

    static func post(_ port: Int, _ path: String, _ object: Any, headers: [(String, String)] = [("Content-Type", "application/json")]) throws -> TestHTTPClient.Reply {
        try TestHTTPClient.send(port: port, "POST", path, headers: headers, body: Array(try JSONSerialization.data(withJSONObject: object)))
    }

    static func create(_ port: Int, _ body: [String: Any]) throws -> String {
        let reply = try post(port, "/v1/listening-tests", body, headers: auth)
        #expect(reply.status == 201, "\(reply.text)")
        return try #require(reply.json?["id"] as? String)
    }

    /// Which side of a presentation is system B (its clip is the longer one).
    static func bIsOnTheRight(_ port: Int, _ shown: [String: Any]) throws -> Bool {
        let a = try TestHTTPClient.send(port: port, "GET", shown["audio_a"] as! String)
        let b = try TestHTTPClient.send(port: port, "GET", shown["audio_b"] as! String)
        #expect(a.status == 200 && a.header("Content-Type") == "audio/wav")
        return b.body.count > a.body.count
    }

    @Test func listenerFlowAndBadRatings() throws {
        try TestServer.with(TestServer.config(adminKey: Self.admin, maxBodyBytes: 1 << 20)) { server in
            let port = server.port
            let id = try Self.create(port, Self.uploadedTest(items: 2))
            let test = try TestHTTPClient.send(port: port, "GET", "/v1/listening-tests/\(id)")
            #expect(test.json?["status"] as? String == "ready" && test.json?["pairs"] as? Int == 2)
            #expect((test.json?["instructions"] as? [String])?.last?.contains("speaker identity") == true)
            let base = "/v1/listening-tests/\(id)"
            let first = try Self.post(port, base + "/next", ["listener": "alice"])
            #expect(first.status == 200, "\(first.text)")
            let shown = try #require(first.json)
            #expect(shown["reference"] is String, "a similarity test plays the reference")
            // Asking again before rating shows the same presentation, sides unchanged.
            let again = try Self.post(port, base + "/next", ["listener": "alice"]).json
            #expect(again?["presentation"] as? String == shown["presentation"] as? String && again?["audio_a"] as? String == shown["audio_a"] as? String)
            let presentation = shown["presentation"] as! String
            func rate(_ body: [String: Any], test: String = id) throws -> TestHTTPClient.Reply {
                try Self.post(port, "/v1/listening-tests/\(test)/ratings", body)
            }
            #expect(try rate(["listener": "alice", "presentation": presentation, "score": 3]).errorCode == "invalid_score")
            #expect(try rate(["listener": "alice", "presentation": presentation, "score": -3]).status == 422)
            #expect(try rate(["listener": "alice", "presentation": presentation, "score": 1.5]).status == 400)
            #expect(try rate(["listener": "alice", "presentation": presentation]).status == 400)
            #expect(try rate(["listener": "alice", "presentation": presentation, "score": 1, "extra": 1]).status == 400)
            #expect(try rate(["listener": "al ice", "presentation": presentation, "score": 1]).errorCode == "invalid_listener")
            #expect(try rate(["listener": "bob", "presentation": presentation, "score": 1]).errorCode == "presentation_not_found")
            #expect(try rate(["listener": "alice", "presentation": "nope", "score": 1]).status == 404)
            #expect(try rate(["listener": "alice", "presentation": presentation, "score": 1], test: "lt-missing").errorCode == "test_not_found")
            #expect(try rate(["listener": "alice", "presentation": presentation, "score": 1], test: "bad.id").status == 400)
            let ok = try rate(["listener": "alice", "presentation": presentation, "score": 2])
            #expect(ok.status == 201, "\(ok.text)")
            #expect(try rate(["listener": "alice", "presentation": presentation, "score": -1]).errorCode == "already_rated")
            let second = try #require(try Self.post(port, base + "/next", ["listener": "alice"]).json)
            #expect(second["pair"] as? Int != shown["pair"] as? Int && second["remaining"] as? Int == 1)
            #expect(try rate(["listener": "alice", "presentation": second["presentation"] as! String, "score": 0]).status == 201)
            #expect(try Self.post(port, base + "/next", ["listener": "alice"]).json?["done"] as? Bool == true)
            // Export needs the admin key.
            #expect(try TestHTTPClient.send(port: port, "GET", base + "/export").status == 401)
            let csv = try TestHTTPClient.send(port: port, "GET", base + "/export?format=csv", headers: Self.auth)
            #expect(csv.status == 200 && csv.text.split(separator: "\n").count == 3 && csv.text.hasPrefix("rating,listener,pair"))
            #expect(try TestHTTPClient.send(port: port, "GET", base + "/export?format=xml", headers: Self.auth).status == 422)
        }
    }

    /// 20 ratings whose scores for B over A are known: the CMOS is their mean and the interval
    /// the Student-t 95% interval (t₀.₉₇₅,₁₉ = 2.093), whatever sides the listeners were shown.
    @Test func resultsOnAKnownSetOfRatings() throws {
        try TestServer.with(TestServer.config(adminKey: Self.admin, maxBodyBytes: 1 << 20)) { server in
            let port = server.port
            let id = try Self.create(port, Self.uploadedTest(items: 2, kind: "naturalness"))
            let intended = [2, 1, 1, 0, -1, 2, 1, 0, 1, 1, 2, 2, 0, 1, -2, 1, 1, 0, 1, 2]
            for (i, score) in intended.enumerated() {
                let listener = "listener-\(i / 2)"
                let shown = try #require(try Self.post(port, "/v1/listening-tests/\(id)/next", ["listener": listener]).json)
                #expect(shown["reference"] == nil, "a naturalness test plays no reference")
                let displayed = try Self.bIsOnTheRight(port, shown) ? score : -score
                let reply = try Self.post(port, "/v1/listening-tests/\(id)/ratings",
                                          ["listener": listener, "presentation": shown["presentation"] as! String, "score": displayed])
                #expect(reply.status == 201)
            }
            let results = try #require(try TestHTTPClient.send(port: port, "GET", "/v1/listening-tests/\(id)/results").json)
            let n = Double(intended.count), mean = Double(intended.reduce(0, +)) / n
            let sd = (intended.map { (Double($0) - mean) * (Double($0) - mean) }.reduce(0, +) / (n - 1)).squareRoot()
            let half = 2.093 * sd / n.squareRoot()
            #expect(results["ratings"] as? Int == 20 && results["listeners"] as? Int == 10)
            #expect(abs((results["cmos"] as? Double ?? .nan) - mean) < 1e-12)
            #expect(abs((results["ci95_low"] as? Double ?? .nan) - (mean - half)) < 1e-3)
            #expect(abs((results["ci95_high"] as? Double ?? .nan) - (mean + half)) < 1e-3)
        }
    }

    @Test func creationIsCheckedAndNeedsTheAdminKey() throws {
        try TestServer.with(TestServer.config(adminKey: Self.admin, maxBodyBytes: 1 << 20)) { server in
            let port = server.port
            #expect(try Self.post(port, "/v1/listening-tests", Self.uploadedTest(items: 1)).status == 401)
            func create(_ change: (inout [String: Any]) -> Void) throws -> TestHTTPClient.Reply {
                var body = Self.uploadedTest(items: 2)
                change(&body)
                return try Self.post(port, "/v1/listening-tests", body, headers: Self.auth)
            }
            var items = Self.uploadedTest(items: 2)["items"] as! [[String: Any]]
            items[1] = ["text": "No audio here."]
            let mixed = items
            items = Self.uploadedTest(items: 1)["items"] as! [[String: Any]]
            items[0]["audio_a"] = [Data("not audio".utf8).base64EncodedString()]
            let notAudio = items
            let cases: [(change: (inout [String: Any]) -> Void, code: String)] = [
                ({ $0["kind"] = "loudness" }, "invalid_kind"),
                ({ $0["samples_per_item"] = 0 }, "invalid_samples_per_item"),
                ({ $0["items"] = [] }, "invalid_items"),
                ({ $0["name"] = " " }, "invalid_name"),
                ({ $0["unknown"] = 1 }, "invalid_request"),
                ({ $0["items"] = mixed }, "mixed_items"),
                ({ $0["items"] = notAudio }, "invalid_audio"),
                ({ $0["items"] = [["text": "Say this.", "voice": "no-such-voice"]] }, "voice_not_found"),
                // Generated tests need their models loaded.
                ({ $0["items"] = [["text": "Say this."]]; $0["system_a"] = ["label": "base", "model": "missing"] }, "model_not_found"),
                ({ $0["system_b"] = ["label": "best", "best_of": 4] }, "invalid_best_of"),
                ({ $0["system_b"] = ["label": "best", "best_of": 99, "reward": "f0v"] }, "invalid_best_of"),
                ({ $0["system_b"] = ["label": "best", "reward": "f0v"] }, "invalid_best_of"),
                ({ $0["system_b"] = ["label": "best", "bestof": 2] }, "invalid_request"),
            ]
            for (change, code) in cases {
                let reply = try create(change)
                #expect(reply.errorCode == code && (400..<500).contains(reply.status), "\(code): \(reply.status) \(reply.text)")
            }
            #expect(try TestHTTPClient.send(port: port, "GET", "/v1/listening-tests/lt-none").status == 404)
            #expect(try TestHTTPClient.send(port: port, "GET", "/v1/listening-tests").json?["tests"] is [Any])
        }
    }

    static func waitUntilGenerated(_ port: Int, _ id: String) throws -> [String: Any]? {
        var test: [String: Any]?
        for _ in 0..<600 {
            test = try TestHTTPClient.send(port: port, "GET", "/v1/listening-tests/\(id)").json
            if let status = test?["status"] as? String, status != "generating" { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return test
    }

    /// A generated test: both systems' clips made by the (tiny) model through the scheduler (B
    /// best-of-2 by F0V), committed one by one; the test turns ready with all its pairs and
    /// survives a restart. A test a previous run left generating is resumed at start-up.
    @Test func generatedTestBecomesReadyAndPersists() throws {
        var config = try TestServer.synthesisConfig()
        config.adminAPIKey = Self.admin
        // As if a server had crashed while generating: the test is stored, no clip is.
        try ListeningTestStore(path: config.listeningDatabase).create(.init(
            id: "lt-interrupted", name: "interrupted", kind: .naturalness,
            systemA: ListeningSystem(label: "a", model: "tiny", seed: 3), systemB: ListeningSystem(label: "b", model: "tiny", seed: 4),
            samplesPerItem: 1, items: [(text: "Left half done.", voice: nil)], references: [nil], uploaded: nil))
        let id: String = try TestServer.with(config) { server in
            let port = server.port
            let body: [String: Any] = ["name": "generated", "kind": "expressiveness", "samples_per_item": 2,
                                       "system_a": ["label": "tiny", "model": "tiny", "seed": 1],
                                       "system_b": ["label": "tiny, best of 2", "model": "tiny", "seed": 100, "best_of": 2, "reward": "f0v"],
                                       "items": [["text": "Hello there."], ["text": "A second sentence."]]]
            let id = try Self.create(port, body)
            let test = try Self.waitUntilGenerated(port, id)
            #expect(test?["status"] as? String == "ready" && test?["pairs"] as? Int == 4, "\(String(describing: test))")
            let resumed = try Self.waitUntilGenerated(port, "lt-interrupted")
            #expect(resumed?["status"] as? String == "ready" && resumed?["pairs"] as? Int == 1, "\(String(describing: resumed))")
            let shown = try #require(try Self.post(port, "/v1/listening-tests/\(id)/next", ["listener": "carol"]).json)
            #expect(try Self.post(port, "/v1/listening-tests/\(id)/ratings",
                                  ["listener": "carol", "presentation": shown["presentation"] as! String, "score": -1]).status == 201)
            return id
        }
        try TestServer.with(config) { server in
            let results = try TestHTTPClient.send(port: server.port, "GET", "/v1/listening-tests/\(id)/results").json
            #expect(results?["ratings"] as? Int == 1)
        }
    }
}
