import Foundation
import Testing
@testable import Serving

/// `POST /v1/score` and the reward models (kind `reward`) over real HTTP: F0V alone without
/// reward models; the CTC likelihood, PER and SIM with the shipped `models/ctc` and
/// `models/speaker`.
@Suite struct ScoreTests {
    static let tone = Data(TestAudio.toneWAV()).base64EncodedString()

    static func rewardConfig(synthesis: Bool = false) throws -> ServerConfig {
        var config = synthesis ? try TestServer.synthesisConfig() : TestServer.config(maxBodyBytes: 1 << 20)
        let models = TestServer.packageRoot.appendingPathComponent("models")
        config.models += [ModelSpec(name: "ctc", kind: .reward, path: models.appendingPathComponent("ctc").path),
                          ModelSpec(name: "speaker", kind: .reward, path: models.appendingPathComponent("speaker").path)]
        return config
    }

    @Test func withoutRewardModelsF0VIsScoredAndTheRestSkippedWithReasons() throws {
        try TestServer.with(TestServer.config(maxBodyBytes: 1 << 20)) { server in
            let reply = try TestHTTPClient.postJSON(port: server.port, "/v1/score", object: ["audio": Self.tone, "text": "A tone."])
            #expect(reply.status == 200, "\(reply.text)")
            let json = try #require(reply.json)
            #expect(json["duration_seconds"] as? Double == 1)
            let scores = try #require(json["scores"] as? [String: Double])
            #expect(Set(scores.keys) == ["f0v"])
            // A steady tone has no intonation: its F0 variation is near zero.
            #expect(scores["f0v"]! >= 0 && scores["f0v"]! < 5)
            let skipped = try #require(json["skipped"] as? [String: String])
            #expect(Set(skipped.keys) == ["ctc_likelihood", "per", "sim"])
            #expect(skipped["sim"]?.contains("speaker encoder") == true)
        }
    }

    @Test func withRewardModelsEveryScoreIsComputed() throws {
        try TestServer.with(try Self.rewardConfig()) { server in
            let reply = try TestHTTPClient.postJSON(port: server.port, "/v1/score",
                                                    object: ["audio": Self.tone, "text": "A tone.", "voice": "slt"])
            #expect(reply.status == 200, "\(reply.text)")
            let scores = try #require(reply.json?["scores"] as? [String: Double])
            #expect(Set(scores.keys) == ["f0v", "ctc_likelihood", "ctc_nll", "per", "sim"])
            #expect(scores["ctc_likelihood"]! >= 0 && scores["ctc_likelihood"]! < 1)
            #expect(scores["ctc_nll"]! > 0)
            #expect(scores["per"]! >= 0)
            #expect(scores["sim"]! >= -1 && scores["sim"]! <= 1)
            #expect((reply.json?["skipped"] as? [String: String])?.isEmpty == true)
        }
    }

    @Test func missingInputsSkipTheRewardsThatNeedThem() throws {
        try TestServer.with(try Self.rewardConfig()) { server in
            let reply = try TestHTTPClient.postJSON(port: server.port, "/v1/score", object: ["audio": Self.tone])
            #expect(reply.status == 200, "\(reply.text)")
            #expect(Set((reply.json?["scores"] as? [String: Double] ?? [:]).keys) == ["f0v"])
            let skipped = try #require(reply.json?["skipped"] as? [String: String])
            #expect(skipped["ctc_likelihood"]?.contains("no text") == true)
            #expect(skipped["per"]?.contains("no text") == true)
            #expect(skipped["sim"]?.contains("no prompt audio") == true)
        }
    }

    @Test func aPromptUploadIsComparedWith() throws {
        try TestServer.with(try Self.rewardConfig()) { server in
            let reply = try TestHTTPClient.postJSON(port: server.port, "/v1/score", object: ["audio": Self.tone, "prompt_audio": Self.tone])
            #expect(reply.status == 200, "\(reply.text)")
            // The same clip against itself: its embedding is its prompt's.
            let sim = try #require((reply.json?["scores"] as? [String: Double])?["sim"])
            #expect(abs(sim - 1) < 1e-4)
        }
    }

    @Test func multipartUploadsAreScored() throws {
        try TestServer.with(try Self.rewardConfig()) { server in
            let body = MultipartTests.form([("text", "A tone.")],
                                           files: [("audio", "clip.wav", TestAudio.toneWAV()), ("prompt_audio", "prompt.wav", TestAudio.toneWAV())])
            let reply = try MultipartTests.post(server, "/v1/score", body)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(Set((reply.json?["scores"] as? [String: Double] ?? [:]).keys) == ["f0v", "ctc_likelihood", "ctc_nll", "per", "sim"])
        }
    }

    @Test func modelsListsRewardModelsWithWhatTheyProvide() throws {
        try TestServer.with(try Self.rewardConfig()) { server in
            let reply = try TestHTTPClient.send(port: server.port, "GET", "/v1/models")
            #expect(reply.text == #"{"models":[{"id":"ctc","kind":"reward","rewards":["ctc_likelihood","per"]},{"id":"speaker","kind":"reward","rewards":["sim"]}]}"#)
        }
    }

    @Test func synthesisReportsEveryLoadedRewardAndRanksBySIM() throws {
        try TestServer.with(try Self.rewardConfig(synthesis: true)) { server in
            let wav = try TestHTTPClient.postJSON(port: server.port, "/v1/tts",
                                                  #"{"text": "Hello there.", "voice": "slt", "seed": 4, "steps": 2, "max_seconds": 1}"#)
            #expect(wav.status == 200, "\(wav.text)")
            // The headers score the file returned: /v1/score of that file agrees.
            let rescored = try TestHTTPClient.postJSON(port: server.port, "/v1/score", object: [
                "audio": Data(wav.body).base64EncodedString(), "text": "Hello there.", "voice": "slt",
            ])
            let scores = try #require(rescored.json?["scores"] as? [String: Double])
            for (name, header) in [("f0v", "X-Reward-F0v"), ("ctc_likelihood", "X-Reward-Ctc-Likelihood"), ("ctc_nll", "X-Reward-Ctc-Nll"),
                                   ("per", "X-Reward-Per"), ("sim", "X-Reward-Sim")] {
                let value = try #require(Double(wav.header(header) ?? ""), "\(header)")
                let expected = try #require(scores[name], "\(name)")
                #expect(abs(value - expected) <= 1e-9 * max(1, abs(expected)), "\(header)")
            }
            let best = try TestHTTPClient.postJSON(
                port: server.port, "/v1/tts",
                #"{"text": "Hello there.", "voice": "slt", "seed": 4, "steps": 2, "max_seconds": 0.3, "response_format": "json", "best_of": {"k": 2, "reward": "sim"}}"#)
            #expect(best.status == 200, "\(best.text)")
            let candidates = try #require(best.json?["candidates"] as? [[String: Any]])
            let sims = candidates.map { ($0["scores"] as? [String: Double])?["sim"] ?? .nan }
            let chosen = try #require(candidates.firstIndex { $0["chosen"] as? Bool == true })
            #expect(sims[chosen] == sims.max())
        }
    }

    @Test func aFolderThatIsNoRewardModelFailsToLoadNamingBothReasons() throws {
        var config = TestServer.config()
        config.models = [ModelSpec(name: "odd", kind: .reward, path: try TinyModel.folder.path)]
        let error = #expect(throws: ModelLoadError.self) { try VGPOServer(config: config).loadModels() }
        #expect(error?.description.contains("neither a CTC recogniser") == true)
    }

    @Test func twoModelsProvidingOneRewardAreRefused() throws {
        var config = TestServer.config()
        let ctc = TestServer.packageRoot.appendingPathComponent("models/ctc").path
        config.models = [ModelSpec(name: "ctc", kind: .reward, path: ctc), ModelSpec(name: "ctc2", kind: .reward, path: ctc)]
        let error = #expect(throws: ModelLoadError.self) { try VGPOServer(config: config).loadModels() }
        #expect(error?.description.contains("already provides") == true)
    }
}
