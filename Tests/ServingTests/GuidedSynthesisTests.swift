import Foundation
import Testing
@testable import Serving

/// Value-guided synthesis (`guidance: {value_model, scale}`) over real HTTP with the tiny model
/// and tiny value models.
@Suite struct GuidedSynthesisTests {
    static func config() throws -> ServerConfig {
        var config = try TestServer.synthesisConfig()
        config.models += [ModelSpec(name: "critic", kind: .value, path: try TinyValueModel.compatibleFolder.path),
                          ModelSpec(name: "narrow", kind: .value, path: try TinyValueModel.incompatibleFolder.path)]
        return config
    }

    static func body(guidance: String? = nil) -> String {
        let extra = guidance.map { #", "guidance": \#($0)"# } ?? ""
        return #"{"text": "Guide me.", "voice": "slt", "seed": 11, "steps": 4, "max_seconds": 0.3\#(extra)}"#
    }

    @Test func guidanceChangesTheSampleAndScaleZeroIsPlain() throws {
        try TestServer.with(try Self.config()) { server in
            let plain = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", Self.body())
            let guided = try TestHTTPClient.postJSON(port: server.port, "/v1/tts",
                                                     Self.body(guidance: #"{"value_model": "critic", "scale": 5}"#))
            let zero = try TestHTTPClient.postJSON(port: server.port, "/v1/tts",
                                                   Self.body(guidance: #"{"value_model": "critic", "scale": 0}"#))
            #expect(plain.status == 200, "\(plain.text)")
            #expect(guided.status == 200, "\(guided.text)")
            #expect(zero.status == 200, "\(zero.text)")
            #expect(guided.header("Content-Type") == "audio/wav")
            #expect(guided.header("X-Value-Model") == "critic")
            #expect(guided.header("X-Guidance-Scale") == "5.0")
            #expect(guided.header("X-Seed") == "11")
            #expect(guided.body != plain.body)
            #expect(zero.body == plain.body)
        }
    }

    @Test func guidedSamplesAreReproducible() throws {
        try TestServer.with(try Self.config()) { server in
            let body = Self.body(guidance: #"{"value_model": "critic", "scale": 3}"#)
            let first = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", body)
            let second = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", body)
            #expect(first.status == 200)
            #expect(first.body == second.body)
        }
    }

    @Test func jsonEchoesTheGuidance() throws {
        try TestServer.with(try Self.config()) { server in
            let body = Self.body(guidance: #"{"value_model": "critic", "scale": 2.5}"#)
                .replacingOccurrences(of: #""seed""#, with: #""response_format": "json", "seed""#)
            let reply = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", body)
            #expect(reply.status == 200, "\(reply.text)")
            let guidance = try #require(reply.json?["guidance"] as? [String: Any])
            #expect(guidance["value_model"] as? String == "critic")
            #expect(guidance["scale"] as? Double == 2.5)
        }
    }

    @Test func incompatibleValueModelIs422NamingTheMismatch() throws {
        try TestServer.with(try Self.config()) { server in
            let reply = try TestHTTPClient.postJSON(port: server.port, "/v1/tts",
                                                    Self.body(guidance: #"{"value_model": "narrow", "scale": 1}"#))
            #expect(reply.status == 422)
            #expect(reply.errorCode == "incompatible_value_model")
            #expect(reply.text.contains("speech tokens"))
        }
    }

    @Test func unknownValueModelIs404ListingTheLoadedOnes() throws {
        try TestServer.with(try Self.config()) { server in
            let reply = try TestHTTPClient.postJSON(port: server.port, "/v1/tts",
                                                    Self.body(guidance: #"{"value_model": "tiny", "scale": 1}"#))
            #expect(reply.status == 404)
            #expect(reply.errorCode == "value_model_not_found")
            #expect(reply.text.contains("critic, narrow"))
        }
    }

    @Test func modelsListsValueModelsWithTheirReward() throws {
        try TestServer.with(try Self.config()) { server in
            let reply = try TestHTTPClient.send(port: server.port, "GET", "/v1/models")
            #expect(reply.text == #"{"models":[{"id":"tiny","kind":"ardm"},{"id":"critic","kind":"value","rewards":["f0v"]},{"id":"narrow","kind":"value"}]}"#)
        }
    }

    @Test func aValueModelListedAsASpeechModelFailsToLoad() throws {
        var config = TestServer.config()
        config.models = [ModelSpec(name: "critic", kind: .ardm, path: try TinyValueModel.compatibleFolder.path)]
        let server = VGPOServer(config: config)
        let error = #expect(throws: ModelLoadError.self) { try server.loadModels() }
        #expect(error?.description.contains(#"list it with kind "value""#) == true)
    }
}
