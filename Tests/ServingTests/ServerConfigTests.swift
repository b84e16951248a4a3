import Foundation
import Testing
@testable import Serving

/// Config decoding: defaults, the shipped file, and errors that name the field.
@Suite struct ServerConfigTests {
    static func decode(_ json: String) throws -> ServerConfig {
        try ServerConfig.decode(Data(json.utf8), source: "test.json")
    }

    static func failure(_ json: String) -> String? {
        do {
            _ = try decode(json)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func emptyObjectGivesTheDefaults() throws {
        #expect(try Self.decode("{}") == ServerConfig())
    }

    @Test func partialObjectsKeepOtherDefaults() throws {
        let config = try Self.decode(#"{"port": 9000, "limits": {"max_body_bytes": 10}}"#)
        #expect(config.port == 9000)
        #expect(config.limits.maxBodyBytes == 10)
        #expect(config.limits.queueLength == ServerConfig.Limits().queueLength)
        #expect(config.host == "127.0.0.1")
    }

    @Test func shippedConfigLoads() throws {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let config = try ServerConfig.load(contentsOf: packageRoot.appendingPathComponent("configs/server.json").path)
        // The shipped models, every one of them loaded by default.
        #expect(config.models.map { "\($0.name):\($0.kind.rawValue)" }
                    == ["base:ardm", "vgpo-f0v:ardm", "ctc:reward", "speaker:reward", "value-f0v:value"])
        #expect(config.models.allSatisfy { FileManager.default.fileExists(atPath: packageRoot.appendingPathComponent($0.path).path) })
        #expect(config.adminAPIKey == nil)
        #expect(config.voicesDir == "data/voices")
        #expect(config.builtinVoicesDir == "voices/builtin")
        #expect(config.publicDir == "public")
    }

    @Test func fullConfigRoundTrips() throws {
        var config = ServerConfig()
        config.adminAPIKey = "secret"
        config.cors.allowedOrigins = ["https://a.example"]
        config.models = [ModelSpec(name: "base", kind: .ardm, path: "models/base")]
        let encoded = try JSONEncoder().encode(config)
        #expect(try ServerConfig.decode(encoded) == config)
    }

    @Test(arguments: [
        (#"{"prot": 1}"#, "prot: unknown field"),
        (#"{"limits": {"max_body": 1}}"#, "limits.max_body: unknown field"),
        (#"{"port": "80"}"#, "port: expected an integer"),
        (#"{"limits": {"queue_length": true}}"#, "limits.queue_length: expected an integer"),
        (#"{"models": [{"name": "a", "kind": "gpt", "path": "p"}]}"#, "models[0].kind: unknown model kind 'gpt'"),
        (#"{"models": [{"name": "a", "kind": "ardm"}]}"#, "models[0].path: required field is missing"),
        (#"{"port": 70000}"#, "port: must be within 0...65535"),
        (#"{"limits": {"max_body_bytes": 0}}"#, "limits.max_body_bytes: must be positive"),
        (#"{"admin_api_key": ""}"#, "admin_api_key: must not be empty"),
        (#"{"cors": {"allowed_origins": ["example.org"]}}"#, "cors.allowed_origins[0]: must be"),
        (#"{"models": [{"name": "a", "kind": "ardm", "path": "p"}, {"name": "a", "kind": "value", "path": "q"}]}"#, "models[1].name: 'a' is used twice"),
        ("{port: 1}", "not valid JSON"),
        (#"{"limits": {"max_audio_seconds": 0}}"#, "limits.max_audio_seconds: must be a positive number"),
        (#"{"limits": {"max_steps": 0}}"#, "limits.max_steps: must be positive"),
        (#"{"limits": {"max_concurrent_jobs": 11}}"#, "limits.max_concurrent_jobs: must be at most 10"),
        (#"{"voices_dir": ""}"#, "voices_dir: must not be empty"),
        (#"{"voice_dir": "x"}"#, "voice_dir: unknown field"),
        (#"{"public_dir": ""}"#, "public_dir: must not be empty"),
        (#"{"public_dir": 1}"#, "public_dir: expected a string"),
    ])
    func badConfigsNameTheField(json: String, expected: String) {
        let message = Self.failure(json)
        #expect(message?.contains(expected) == true, "got: \(message ?? "no error")")
    }

    @Test func missingFileSaysWhich() {
        let error = #expect(throws: ServerConfigError.self) { try ServerConfig.load(contentsOf: "/no/such/server.json") }
        #expect(error?.description.contains("/no/such/server.json") == true)
    }
}
