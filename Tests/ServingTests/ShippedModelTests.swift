import Foundation
import Testing
@testable import Serving

/// The shipped ARDMs end to end (issues 10 and 9): loaded by the server from `models/`, asked
/// for sentences in a built-in voice over HTTP, and heard by the shipped CTC recogniser through
/// `/v1/score`. A model that babbles, or speaks but not the text it was given, scores the same
/// phoneme error rate against its own text as against another sentence; this one must score
/// clearly lower against its own. The real model is slow beside the rest of the suite on two
/// cores: one test at a time, and a minute for each reply.
@Suite(.serialized) struct ShippedModelTests {
    static let timeout = 60

    static let sentences = ["The children played in the park until it was dark.",
                            "Please bring me a cup of hot coffee.",
                            "My brother found an old map in the attic.",
                            "We will meet at the station at noon."]

    static func per(port: Int, audio: String, text: String) throws -> Double {
        let reply = try TestHTTPClient.postJSON(port: port, "/v1/score", object: ["audio": audio, "text": text],
                                                 receiveTimeout: timeout)
        #expect(reply.status == 200, "\(reply.text)")
        return try #require((reply.json?["scores"] as? [String: Double])?["per"])
    }

    /// The server with the shipped ARDM `ardm` of `models/` and the shipped CTC recogniser.
    static func shippedConfig(ardm: String = "base") -> ServerConfig {
        var config = TestServer.config(maxBodyBytes: 8 << 20)
        let models = TestServer.packageRoot.appendingPathComponent("models")
        config.models = [ModelSpec(name: ardm, kind: .ardm, path: models.appendingPathComponent(ardm).path),
                         ModelSpec(name: "ctc", kind: .reward, path: models.appendingPathComponent("ctc").path)]
        return config
    }

    /// Each sentence spoken by `model` in espeak-m3 (seed 1) is nearer its own text than the
    /// next sentence's, all but at most one (a clip can run on past its text), and the median
    /// clip's PER against its own text is below `medianPER`.
    static func expectSpeaksItsText(model: String, medianPER: Double) throws {
        try TestServer.with(shippedConfig(ardm: model)) { server in
            var own: [Double] = [], other: [Double] = []
            for (i, text) in sentences.enumerated() {
                let reply = try TestHTTPClient.postJSON(port: server.port, "/v1/tts",
                                                        object: ["text": text, "voice": "espeak-m3", "seed": 1, "model": model],
                                                        receiveTimeout: timeout)
                #expect(reply.status == 200, "\(reply.text)")
                #expect(reply.header("X-Stopped") == "true")
                #expect(reply.header("X-Model") == model)
                let audio = Data(reply.body).base64EncodedString()
                own.append(try per(port: server.port, audio: audio, text: text))
                other.append(try per(port: server.port, audio: audio, text: sentences[(i + 1) % sentences.count]))
            }
            print("shipped \(model), espeak-m3, seed 1: PER against its own text \(own), against the next sentence \(other)")
            #expect(zip(own, other).filter { $0 < $1 }.count >= sentences.count - 1)
            #expect(own.sorted()[own.count / 2] < medianPER)
        }
    }

    /// models/base at step 13800, served at T = 0.7: 0.03-0.26 over the four (0.13 by this test's
    /// median, the third smallest); step 12200: 0.00-0.13 (0.11; at T = 1 0.00-0.15, 0.13); step
    /// 11200: 0.04-0.17; step 9300: 0.17; step 6000: 0.26 (those three at T = 1). Four sentences
    /// of one voice and seed: the 300-sentence evaluation (docs/results/base) ranks the models.
    @Test func theShippedBaseSpeaksTheTextItIsGiven() throws {
        try Self.expectSpeaksItsText(model: "base", medianPER: 0.25)
    }

    /// A text without a final mark is read as if it had one (`CorpusPunctuation`): every corpus
    /// sentence ends in . ! or ?, and without the mark the model ran on past the words (six such
    /// sentences read PER 0.65 before, 0.11 after; docs/results/base). These two, espeak-m3,
    /// seed 1: 0.05 and 0.15 through `vgpo-train synthesize` (before: 1.37 and 0.60).
    @Test func theShippedBaseReadsATextWithoutAFinalMark() throws {
        try TestServer.with(Self.shippedConfig()) { server in
            for text in ["my brother lives near the river", "we will meet again next week"] {
                let reply = try TestHTTPClient.postJSON(port: server.port, "/v1/tts",
                                                        object: ["text": text, "voice": "espeak-m3", "seed": 1],
                                                        receiveTimeout: Self.timeout)
                #expect(reply.status == 200, "\(reply.text)")
                #expect(reply.header("X-Stopped") == "true")
                let per = try Self.per(port: server.port, audio: Data(reply.body).base64EncodedString(), text: text)
                #expect(per < 0.3, "\(text): PER \(per)")
            }
        }
    }

    /// The shipped VGPO model (issue 9, fine-tuned from the step-13800 base for F0 variation)
    /// still speaks its text: fine-tuning for prosody must not cost intelligibility.
    /// models/vgpo-f0v at T = 0.7: median 0.18, with 0.03-0.52 over the four (its base: 0.08,
    /// with 0.03-0.26; the 114-sample Task A evaluation in its card: PER 0.253 against 0.243).
    @Test func theShippedVGPOModelStillSpeaksTheText() throws {
        try Self.expectSpeaksItsText(model: "vgpo-f0v", medianPER: 0.35)
    }

    /// Issue 7, must show 2, at the shipped model's real shapes (16 steps, 384-wide head): a
    /// request sampled alone and the same request joining a batch of three others give the same
    /// WAV bytes.
    @Test func theSameSeedGivesTheSameWAVAloneOrInABatch() throws {
        try TestServer.with(Self.shippedConfig()) { server in
            let body: [String: Any] = ["text": "Good morning.", "voice": "espeak-m3", "seed": 5, "max_seconds": 1.5]
            let alone = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", object: body, receiveTimeout: Self.timeout)
            #expect(alone.status == 200)
            // Three longer requests on threads of their own, then the same request again while they run.
            let group = DispatchGroup()
            for index in 0..<3 {
                group.enter()
                Thread {
                    let other: [String: Any] = ["text": "Another, rather longer sentence, number \(index), to keep the batch busy.",
                                                "voice": "espeak-f3", "seed": 50 + index]
                    _ = try? TestHTTPClient.postJSON(port: server.port, "/v1/tts", object: other, receiveTimeout: Self.timeout)
                    group.leave()
                }.start()
            }
            usleep(300_000)
            let batched = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", object: body, receiveTimeout: Self.timeout)
            group.wait()
            #expect(batched.status == 200)
            #expect(batched.body == alone.body)
            #expect(Int(batched.header("X-Batch-Size") ?? "") ?? 0 > 1, "the request was not batched with the others")
        }
    }
}
