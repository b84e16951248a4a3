import ARDM
import Audio
import Foundation
import Testing
@testable import Serving

/// `POST /v1/tts` and `POST /v1/audio/speech` over real HTTP with the tiny model.
@Suite struct TTSTests {
    static let fast = #""steps": 2, "max_seconds": 0.3"#

    @Test func builtinVoiceGivesAValidWAVWithHeaders() throws {
        try TestServer.with(try TestServer.synthesisConfig()) { server in
            let reply = try TestHTTPClient.postJSON(port: server.port, "/v1/tts",
                                                    #"{"text": "Hello there.", "voice": "slt", "seed": 7, \#(Self.fast)}"#)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.header("Content-Type") == "audio/wav")
            #expect(reply.header("X-Seed") == "7")
            #expect(reply.header("X-Stopped") == "false")
            #expect(reply.header("X-Model") == "tiny")
            #expect(reply.header("X-Voice") == "slt")
            let audio = try AudioDecoder.decode(bytes: reply.body, targetSampleRate: nil)
            #expect(audio.sampleRate == 16_000)
            #expect(audio.duration > 0.1 && audio.duration <= 0.35)
            #expect(audio.samples.allSatisfy { $0.isFinite })
            #expect(Double(reply.header("X-Audio-Seconds") ?? "") == (audio.duration * 1000).rounded() / 1000)
        }
    }

    @Test func sameSeedGivesByteIdenticalWAVs() throws {
        try TestServer.with(try TestServer.synthesisConfig()) { server in
            let body = #"{"text": "Same words, same seed.", "voice": "kal", "seed": 42, \#(Self.fast)}"#
            let first = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", body)
            let second = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", body)
            #expect(first.status == 200)
            #expect(first.body == second.body)
            let other = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", body.replacingOccurrences(of: "42", with: "43"))
            #expect(other.status == 200)
            #expect(other.body != first.body)
        }
    }

    @Test func sameSeedGivesTheSameWAVUnderConcurrentLoad() throws {
        try TestServer.with(try TestServer.synthesisConfig()) { server in
            let body = #"{"text": "Under load.", "voice": "awb", "seed": 9, \#(Self.fast)}"#
            let alone = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", body)
            #expect(alone.status == 200)
            let lock = NSLock()
            var replies: [Int: TestHTTPClient.Reply] = [:]
            DispatchQueue.concurrentPerform(iterations: 6) { index in
                let other = #"{"text": "Other text \#(index).", "voice": "rms", "seed": \#(100 + index), \#(Self.fast)}"#
                let reply = try? TestHTTPClient.postJSON(port: server.port, "/v1/tts", index % 2 == 0 ? body : other)
                lock.lock()
                replies[index] = reply
                lock.unlock()
            }
            for index in stride(from: 0, to: 6, by: 2) {
                #expect(replies[index]?.status == 200)
                #expect(replies[index]?.body == alone.body)
            }
        }
    }

    /// A voice scale between 1 and cfg runs three guidance sequences per request (the served
    /// model's sampler has room for them), reproducibly; the scale reaches the sampler's options.
    @Test func voiceScaleRunsAThirdSequenceReproducibly() throws {
        try TestServer.with(try TestServer.synthesisConfig()) { server in
            let body = #"{"text": "Follow the voice.", "voice": "kal", "seed": 5, "voice_scale": 1.5, \#(Self.fast)}"#
            let first = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", body)
            let second = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", body)
            #expect(first.status == 200, "\(first.text)")
            #expect(second.body == first.body)
            let plain = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", body.replacingOccurrences(of: "1.5", with: "1"))
            #expect(plain.status == 200 && plain.body != first.body, "voice_scale did not reach the sampler")
        }
        let limits = try TestServer.synthesisConfig().limits
        let parameters = try SynthesisParameters(seed: 1, steps: nil, cfg: nil, voiceScale: 1.5, temperature: nil,
                                                 maxSeconds: nil, limits: limits)
        #expect(parameters.options.guidanceBranches.count == 3)
        let defaults = try SynthesisParameters(seed: 1, steps: nil, cfg: nil, temperature: nil, maxSeconds: nil, limits: limits)
        #expect(defaults.options.voiceScale == 1)
    }

    /// Timbre matching moves the audio toward the prompt's average spectrum and keeps its length:
    /// 0 turns it off, and the served default is the same as writing it out.
    @Test func timbreMatchMovesTheSpectrumTowardThePrompt() throws {
        try TestServer.with(try TestServer.synthesisConfig()) { server in
            let body = #"{"text": "Sound like me.", "voice": "slt", "seed": 11, \#(Self.fast)"#
            let served = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", body + "}")
            let explicit = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", body + #", "timbre_match": \#(TimbreMatch.serving)}"#)
            let off = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", body + #", "timbre_match": 0}"#)
            #expect([served, explicit, off].allSatisfy { $0.status == 200 }, "\(off.text)")
            #expect(explicit.body == served.body)
            #expect(off.body != served.body)
            #expect(off.body.count == served.body.count)
            let prompt = try AudioDecoder.decode(path: TestServer.packageRoot.appendingPathComponent("voices/builtin/slt.wav").path)
            let target = Self.spectralShape(prompt.samples)
            func distance(_ reply: TestHTTPClient.Reply) throws -> Float {
                let shape = Self.spectralShape(try AudioDecoder.decode(bytes: reply.body).samples)
                return zip(shape, target).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
            }
            #expect(try distance(served) < 0.8 * distance(off))
        }
    }

    /// A clip's average log-mel spectrum over its louder half of frames, less its mean over
    /// bins (so loudness, which the server levels in the prompt, does not count).
    static func spectralShape(_ samples: [Float]) -> [Float] {
        let mel = LogMelExtractor()(samples)
        let loudness = (0..<mel.frameCount).map { mel.frame($0).reduce(0, +) }
        let median = loudness.sorted()[mel.frameCount / 2]
        let loud = (0..<mel.frameCount).filter { loudness[$0] >= median }
        let means = (0..<mel.melCount).map { m in loud.map { mel.values[$0 * mel.melCount + m] }.reduce(0, +) / Float(loud.count) }
        let level = means.reduce(0, +) / Float(means.count)
        return means.map { $0 - level }
    }

    @Test func jsonFormatCarriesBase64AudioAndDetails() throws {
        try TestServer.with(try TestServer.synthesisConfig()) { server in
            let reply = try TestHTTPClient.postJSON(port: server.port, "/v1/tts",
                                                    #"{"text": "Hi.", "seed": 3, "response_format": "json", \#(Self.fast)}"#)
            #expect(reply.status == 200)
            let json = try #require(reply.json)
            #expect(json["seed"] as? Int == 3)
            #expect(json["model"] as? String == "tiny")
            #expect(json["voice"] as? String == "espeak-m3")  // the first built-in is the default
            #expect(json["sample_rate"] as? Int == 16_000)
            let wav = try #require(Data(base64Encoded: json["audio"] as? String ?? ""))
            #expect(try AudioDecoder.decode(data: wav).duration > 0.1)
        }
    }

    @Test func wav32IsFloatWAV() throws {
        try TestServer.with(try TestServer.synthesisConfig()) { server in
            let reply = try TestHTTPClient.postJSON(port: server.port, "/v1/tts",
                                                    #"{"text": "Hi.", "response_format": "wav32", \#(Self.fast)}"#)
            #expect(reply.status == 200)
            // WAVE_FORMAT_IEEE_FLOAT (3) in the fmt chunk, 32 bits per sample.
            #expect(reply.body[20] == 3 && reply.body[34] == 32)
            #expect(reply.header("X-Seed").flatMap(UInt64.init) != nil)
        }
    }

    /// The uploaded prompt is what the model continues: the same prompt twice gives the same
    /// audio, a different one (shorter) different audio.
    @Test func inlinePromptAudioIsUsed() throws {
        try TestServer.with(try TestServer.synthesisConfig()) { server in
            func speak(promptSeconds: Double) throws -> TestHTTPClient.Reply {
                try TestHTTPClient.postJSON(port: server.port, "/v1/tts", object: [
                    "text": "Hi.", "prompt_audio": Data(TestAudio.toneWAV(seconds: promptSeconds)).base64EncodedString(),
                    "prompt_text": "A humming tone.", "seed": 4, "steps": 2, "max_seconds": 0.3,
                ])
            }
            let reply = try speak(promptSeconds: 1), again = try speak(promptSeconds: 1), other = try speak(promptSeconds: 0.6)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.header("X-Voice") == nil)
            #expect(again.body == reply.body)
            #expect(other.status == 200 && other.body != reply.body)
        }
    }

    @Test func openAISpeechRouteAnswersWAV() throws {
        try TestServer.with(try TestServer.synthesisConfig()) { server in
            // Defaults apply (16 steps, up to max_audio_seconds = 2 s in the test config).
            let reply = try TestHTTPClient.postJSON(port: server.port, "/v1/audio/speech",
                                                    #"{"model": "tts-1", "input": "Hi.", "voice": "rms", "response_format": "wav", "speed": 1.0}"#)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.header("Content-Type") == "audio/wav")
            #expect(try AudioDecoder.decode(bytes: reply.body).duration > 0.1)
        }
    }

    @Test func withoutAModelTTSIs503NoModel() throws {
        try TestServer.with { server in
            let reply = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", #"{"text": "Hi.", "voice": "slt"}"#)
            #expect(reply.status == 503)
            #expect(reply.errorCode == "no_model")
        }
    }

    @Test func modelsListsTheLoadedModel() throws {
        try TestServer.with(try TestServer.synthesisConfig()) { server in
            let reply = try TestHTTPClient.send(port: server.port, "GET", "/v1/models")
            #expect(reply.text == #"{"models":[{"id":"tiny","kind":"ardm"}]}"#)
        }
    }
}
