import Foundation
import Testing
@testable import Serving

/// The scheduler over real HTTP with a gated model: a full queue answers 503 with Retry-After,
/// requests that wait together are sampled in one batch, and metrics report both.
@Suite struct SchedulerTests {
    static func gatedConfig(queueLength: Int, maxBatch: Int) -> ServerConfig {
        var config = TestServer.config()
        config.models = [ModelSpec(name: "gated", kind: .ardm, path: "(in memory)")]
        config.limits.queueLength = queueLength
        config.limits.maxConcurrentJobs = maxBatch
        return config
    }

    static let body = #"{"text": "Hello.", "voice": "slt", "max_seconds": 0.5, "seed": 1}"#

    /// Sends a synthesis request on its own thread; the reply lands in `replies`. The client
    /// waits up to a minute: a gated request is held on purpose, and a loaded machine (the
    /// suite runs in parallel) can make the test's own steps slow. Each request gets a thread of
    /// its own: on GCD's global queue, blocked clients of other tests could hold every worker
    /// (2 on this machine) and a request would not even be sent.
    final class Background: @unchecked Sendable {
        private let group = DispatchGroup()
        private let lock = NSLock()
        private(set) var replies: [TestHTTPClient.Reply] = []

        func post(port: Int) {
            group.enter()
            Thread {
                let reply = try? TestHTTPClient.send(port: port, "POST", "/v1/tts", headers: [("Content-Type", "application/json")],
                                                     body: Array(SchedulerTests.body.utf8), receiveTimeout: 60)
                self.lock.lock()
                if let reply { self.replies.append(reply) }
                self.lock.unlock()
                self.group.leave()
            }.start()
        }

        func wait() { group.wait() }
    }

    /// Polls `condition` for up to 10 s.
    static func eventually(_ condition: () -> Bool) -> Bool {
        for _ in 0..<1000 {
            if condition() { return true }
            usleep(10_000)
        }
        return false
    }

    @Test func fullQueueAnswers503WithRetryAfter() throws {
        let model = GatedSpeechModel()
        try TestServer.with(Self.gatedConfig(queueLength: 1, maxBatch: 1), speechModelLoader: { _ in model }) { server in
            let background = Background()
            background.post(port: server.port)
            #expect(Self.eventually { server.scheduler.counts.running == 1 })
            background.post(port: server.port)
            #expect(Self.eventually { server.scheduler.counts.waiting == 1 })

            let refused = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", Self.body)
            #expect(refused.status == 503)
            #expect(refused.errorCode == "queue_full")
            #expect(Int(refused.header("Retry-After") ?? "") ?? 0 >= 1)

            model.open(2)
            background.wait()
            #expect(background.replies.map(\.status) == [200, 200])
            #expect(try TestHTTPClient.send(port: server.port, "GET", "/health").status == 200)
        }
    }

    @Test func requestsWaitingTogetherShareOneBatch() throws {
        let model = GatedSpeechModel()
        try TestServer.with(Self.gatedConfig(queueLength: 8, maxBatch: 4), speechModelLoader: { _ in model }) { server in
            let background = Background()
            background.post(port: server.port)
            #expect(Self.eventually { server.scheduler.counts.running == 1 })
            for _ in 0..<3 { background.post(port: server.port) }
            #expect(Self.eventually { server.scheduler.counts.waiting == 3 })

            let metrics = try TestHTTPClient.send(port: server.port, "GET", "/metrics")
            #expect(metrics.text.contains("vgpo_queue_waiting_jobs 3\n"))
            #expect(metrics.text.contains("vgpo_running_jobs 1\n"))

            model.open(2)
            background.wait()
            #expect(model.batchSizes == [1, 3])
            #expect(background.replies.count == 4)
            #expect(background.replies.allSatisfy { $0.status == 200 && $0.header("X-Seed") == "1" })
            #expect(Set(background.replies.compactMap { $0.header("X-Batch-Size") }) == ["1", "3"])
        }
    }

    /// Continuous batching: a request that arrives while another is being sampled joins its batch
    /// at the next token, and each leaves as soon as it has its tokens (3 steps each here).
    @Test func aLateRequestJoinsTheRunningBatch() throws {
        let model = GatedSpeechModel(tokensPerRequest: 3)
        try TestServer.with(Self.gatedConfig(queueLength: 8, maxBatch: 4), speechModelLoader: { _ in model }) { server in
            let background = Background()
            background.post(port: server.port)
            #expect(Self.eventually { model.batchSizes == [1] })
            background.post(port: server.port)
            #expect(Self.eventually { server.scheduler.counts.waiting == 1 })
            model.open(4)
            background.wait()
            #expect(model.batchSizes == [1, 2, 2, 1])
            #expect(background.replies.count == 2)
            #expect(background.replies.allSatisfy { $0.status == 200 && $0.header("X-Batch-Size") == "2" })
        }
    }

    /// A request that times out is answered 503 and its job leaves the batch at the next token
    /// instead of being sampled to the end.
    @Test func aTimedOutRequestLeavesTheBatch() throws {
        let model = GatedSpeechModel(tokensPerRequest: 100)
        var config = Self.gatedConfig(queueLength: 8, maxBatch: 4)
        config.limits.requestTimeoutSeconds = 1
        try TestServer.with(config, speechModelLoader: { _ in model }) { server in
            let background = Background()
            background.post(port: server.port)
            #expect(Self.eventually { model.batchSizes == [1] })
            background.wait()
            #expect(background.replies.first?.status == 503 && background.replies.first?.errorCode == "timeout")
            model.open(1)
            #expect(Self.eventually { server.scheduler.counts.running == 0 })
            usleep(100_000)
            #expect(model.batchSizes == [1], "the abandoned job was sampled on")
        }
    }

    @Test func metricsCountRequestsBatchesAndAudio() throws {
        let model = GatedSpeechModel()
        try TestServer.with(Self.gatedConfig(queueLength: 8, maxBatch: 4), speechModelLoader: { _ in model }) { server in
            model.open(1)
            #expect(try TestHTTPClient.postJSON(port: server.port, "/v1/tts", Self.body).status == 200)
            _ = try TestHTTPClient.send(port: server.port, "GET", "/nope")
            let text = try TestHTTPClient.send(port: server.port, "GET", "/metrics").text
            #expect(text.contains(#"vgpo_http_requests_total{route="/v1/tts",method="POST",status="200"} 1"#))
            #expect(text.contains(#"vgpo_http_requests_total{route="unmatched",method="GET",status="404"} 1"#))
            #expect(text.contains(#"vgpo_batch_size_bucket{le="1"} 1"#))
            #expect(text.contains("vgpo_batch_size_count 1\n"))
            #expect(text.contains("vgpo_audio_seconds_total 0.448\n"))  // max_seconds 0.5: 7 tokens of 64 ms
            #expect(text.contains("vgpo_real_time_factor_count 1\n"))
            #expect(text.contains("# TYPE vgpo_real_time_factor histogram"))
        }
    }
}
