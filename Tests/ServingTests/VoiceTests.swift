import Foundation
import Testing
@testable import Serving

/// `/v1/voices` over real HTTP: built-ins, uploads that persist across restarts, deletion rules.
@Suite struct VoiceTests {
    static func createBody(name: String = "Tone", promptText: String = "A humming tone.") -> [String: Any] {
        ["name": name, "prompt_text": promptText, "audio": Data(TestAudio.toneWAV()).base64EncodedString()]
    }

    static func voiceIDs(_ reply: TestHTTPClient.Reply) -> [String] {
        (reply.json?["voices"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    @Test func builtinVoicesAreListed() throws {
        try TestServer.with { server in
            let reply = try TestHTTPClient.send(port: server.port, "GET", "/v1/voices")
            #expect(reply.status == 200)
            let voices = try #require(reply.json?["voices"] as? [[String: Any]])
            #expect((4...6).contains(voices.count))
            for voice in voices {
                #expect(voice["builtin"] as? Bool == true)
                #expect((2...4.2).contains(voice["seconds"] as? Double ?? 0))
                #expect(!(voice["prompt_text"] as? String ?? "").isEmpty)
                #expect(voice["name"] is String)
            }
        }
    }

    @Test func createdVoicePersistsAcrossARestartAndCanBeDeleted() throws {
        let config = TestServer.config(maxBodyBytes: 1 << 20)
        let id: String = try TestServer.with(config) { server in
            let created = try TestHTTPClient.postJSON(port: server.port, "/v1/voices", object: Self.createBody())
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.json?["id"] as? String)
            #expect(VoiceID.isWellFormed(id) && id.hasPrefix("v-"))
            #expect(created.header("Location") == "/v1/voices/\(id)")
            #expect(created.json?["builtin"] as? Bool == false)
            #expect(abs((created.json?["seconds"] as? Double ?? 0) - 1) < 0.01)
            return id
        }
        try TestServer.with(config) { server in
            let listed = try TestHTTPClient.send(port: server.port, "GET", "/v1/voices")
            #expect(Self.voiceIDs(listed).contains(id))
            let deleted = try TestHTTPClient.send(port: server.port, "DELETE", "/v1/voices/\(id)")
            #expect(deleted.status == 200)
            #expect(deleted.json?["deleted"] as? Bool == true)
            let again = try TestHTTPClient.send(port: server.port, "DELETE", "/v1/voices/\(id)")
            #expect(again.status == 404)
            #expect(again.errorCode == "voice_not_found")
        }
        try TestServer.with(config) { server in
            let listed = try TestHTTPClient.send(port: server.port, "GET", "/v1/voices")
            #expect(!Self.voiceIDs(listed).contains(id))
        }
    }

    @Test func uploadedVoiceCanBeUsedForSynthesis() throws {
        try TestServer.with(try TestServer.synthesisConfig()) { server in
            let created = try TestHTTPClient.postJSON(port: server.port, "/v1/voices", object: Self.createBody())
            let id = try #require(created.json?["id"] as? String)
            let reply = try TestHTTPClient.postJSON(port: server.port, "/v1/tts",
                                                    #"{"text": "Hi.", "voice": "\#(id)", "steps": 2, "max_seconds": 0.3}"#)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.header("X-Voice") == id)
        }
    }

    @Test func builtinVoicesCannotBeDeleted() throws {
        try TestServer.with { server in
            let reply = try TestHTTPClient.send(port: server.port, "DELETE", "/v1/voices/slt")
            #expect(reply.status == 403)
            #expect(reply.errorCode == "builtin_voice")
            let listed = try TestHTTPClient.send(port: server.port, "GET", "/v1/voices")
            #expect(Self.voiceIDs(listed).contains("slt"))
        }
    }

    @Test(arguments: [
        ("/v1/voices/..", 400), ("/v1/voices/%2E%2E", 400), ("/v1/voices/..%2F..%2Fetc", 404), ("/v1/voices/a.json", 400),
        ("/v1/voices/UPPER", 400), ("/v1/voices/\(String(repeating: "a", count: 65))", 400), ("/v1/voices/%00", 404),
        ("/v1/voices/no-such-voice", 404),
    ])
    func pathTricksInVoiceIDsAreRefused(path: String, status: Int) throws {
        try TestServer.with { server in
            let reply = try TestHTTPClient.send(port: server.port, "DELETE", path)
            #expect(reply.status == status, "\(reply.text)")
            #expect(reply.errorCode != nil)
            #expect(try TestHTTPClient.send(port: server.port, "GET", "/health").status == 200)
        }
    }

    @Test(arguments: [
        (#"{"name": "x", "prompt_text": "hi"}"#, 400, "invalid_request"),
        (#"{"name": "x", "prompt_text": "hi", "audio": "AAAA", "id": "mine"}"#, 400, "invalid_request"),
        (#"{"name": "", "prompt_text": "hi", "audio": "AAAA"}"#, 422, "invalid_name"),
        (#"{"name": "x", "prompt_text": "", "audio": "AAAA"}"#, 422, "invalid_text"),
        (#"{"name": "x", "prompt_text": "hi", "audio": "***"}"#, 400, "invalid_base64"),
        (#"{"name": "x", "prompt_text": "hi", "audio": "AAAAAAAA"}"#, 422, "invalid_audio"),
    ])
    func badUploadsAreRefused(body: String, status: Int, code: String) throws {
        try TestServer.with { server in
            let reply = try TestHTTPClient.postJSON(port: server.port, "/v1/voices", body)
            #expect(reply.status == status, "\(reply.text)")
            #expect(reply.errorCode == code)
            let listed = try TestHTTPClient.send(port: server.port, "GET", "/v1/voices")
            #expect(Self.voiceIDs(listed).count == 6)
        }
    }
}
