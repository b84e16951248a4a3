import Foundation
import Testing
@testable import Serving

/// Best-of-K (`best_of: {k, reward}`) over real HTTP: K candidates with seeds seed…seed+K−1,
/// sampled together, scored, the best returned.
@Suite struct BestOfTests {
    static func body(k: Int, reward: String = "f0v", format: String = "json") -> String {
        #"{"text": "Pick the best.", "voice": "kal", "seed": 20, "steps": 2, "max_seconds": 0.4, "response_format": "\#(format)", "best_of": {"k": \#(k), "reward": "\#(reward)"}}"#
    }

    @Test func jsonListsEveryCandidateAndReturnsTheBestByTheReward() throws {
        try TestServer.with(try TestServer.synthesisConfig()) { server in
            let reply = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", Self.body(k: 3))
            #expect(reply.status == 200, "\(reply.text)")
            let json = try #require(reply.json)
            let candidates = try #require(json["candidates"] as? [[String: Any]])
            #expect(candidates.count == 3)
            #expect(candidates.compactMap { $0["seed"] as? Int } == [20, 21, 22])
            let f0v = candidates.map { ($0["scores"] as? [String: Any])?["f0v"] as? Double ?? .nan }
            #expect(f0v.allSatisfy { $0.isFinite })
            let chosen = try #require(candidates.firstIndex { $0["chosen"] as? Bool == true })
            #expect(candidates.filter { $0["chosen"] as? Bool == true }.count == 1)
            #expect(f0v[chosen] == f0v.max())
            // The top level describes the returned sample: the chosen candidate.
            #expect(json["seed"] as? Int == 20 + chosen)
            #expect((json["scores"] as? [String: Any])?["f0v"] as? Double == f0v[chosen])
            let skipped = try #require(json["skipped"] as? [String: String])
            #expect(Set(skipped.keys) == ["ctc_likelihood", "per", "sim"])
        }
    }

    @Test func theChosenCandidateIsThePlainSampleOfItsSeed() throws {
        try TestServer.with(try TestServer.synthesisConfig()) { server in
            let best = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", Self.body(k: 3))
            let seed = try #require(best.json?["seed"] as? Int)
            let plain = try TestHTTPClient.postJSON(
                port: server.port, "/v1/tts",
                #"{"text": "Pick the best.", "voice": "kal", "seed": \#(seed), "steps": 2, "max_seconds": 0.4, "response_format": "json"}"#)
            #expect(plain.status == 200)
            #expect(plain.json?["audio"] as? String == best.json?["audio"] as? String)
            #expect(plain.json?["candidates"] == nil)
        }
    }

    @Test func wavCarriesTheChosenRewardsInHeaders() throws {
        try TestServer.with(try TestServer.synthesisConfig()) { server in
            let json = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", Self.body(k: 2))
            let wav = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", Self.body(k: 2, format: "wav16"))
            #expect(wav.status == 200, "\(wav.text)")
            #expect(wav.header("Content-Type") == "audio/wav")
            #expect(wav.header("X-Best-Of") == "2")
            #expect(wav.header("X-Seed") == String(json.json?["seed"] as? Int ?? -1))
            let f0v = try #require(Double(wav.header("X-Reward-F0v") ?? ""))
            #expect(f0v == (json.json?["scores"] as? [String: Any])?["f0v"] as? Double)
            #expect(wav.header("X-Reward-Sim") == nil)
        }
    }

    @Test func plainSynthesisCarriesF0VToo() throws {
        try TestServer.with(try TestServer.synthesisConfig()) { server in
            let reply = try TestHTTPClient.postJSON(port: server.port, "/v1/tts",
                                                    #"{"text": "Hi.", "seed": 1, "steps": 2, "max_seconds": 0.3}"#)
            #expect(reply.status == 200)
            #expect(Double(reply.header("X-Reward-F0v") ?? "") != nil)
            #expect(reply.header("X-Best-Of") == nil)
        }
    }

    @Test func theCandidatesAreSampledInOneBatch() throws {
        let model = GatedSpeechModel()
        var config = SchedulerTests.gatedConfig(queueLength: 2, maxBatch: 4)
        config.limits.maxBestOf = 4
        try TestServer.with(config, speechModelLoader: { _ in model }) { server in
            model.open(1)
            let reply = try TestHTTPClient.postJSON(
                port: server.port, "/v1/tts", #"{"text": "Hello.", "voice": "slt", "max_seconds": 0.5, "best_of": {"k": 3, "reward": "f0v"}}"#)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(model.batchSizes == [3])
            #expect(reply.header("X-Batch-Size") == "3")
        }
    }

    @Test func kCandidatesNeedKQueuePlaces() throws {
        let model = GatedSpeechModel()
        var config = SchedulerTests.gatedConfig(queueLength: 2, maxBatch: 4)
        config.limits.maxBestOf = 4
        try TestServer.with(config, speechModelLoader: { _ in model }) { server in
            let background = SchedulerTests.Background()
            background.post(port: server.port)
            #expect(SchedulerTests.eventually { server.scheduler.counts.running == 1 })
            let refused = try TestHTTPClient.postJSON(
                port: server.port, "/v1/tts", #"{"text": "Hello.", "voice": "slt", "max_seconds": 0.5, "best_of": {"k": 3, "reward": "f0v"}}"#)
            #expect(refused.status == 503)
            #expect(refused.errorCode == "queue_full")
            #expect(server.scheduler.counts.waiting == 0)
            model.open(1)
            background.wait()
            #expect(background.replies.map(\.status) == [200])
        }
    }

    @Test func aRewardWithoutItsModelIs501NamingTheModel() throws {
        try TestServer.with(try TestServer.synthesisConfig()) { server in
            let reply = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", Self.body(k: 2, reward: "f0v,sim:0.5"))
            #expect(reply.status == 501)
            #expect(reply.errorCode == "reward_model_not_loaded")
            #expect(reply.text.contains("speaker encoder"))
        }
    }
}
