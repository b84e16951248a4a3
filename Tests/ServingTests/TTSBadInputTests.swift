import Foundation
import Testing
@testable import Serving

/// Malformed and out-of-range synthesis and scoring requests over real HTTP: each gets the right
/// 4xx (or 501 for a reward whose model is not loaded) with a JSON error, and the server stays
/// healthy.
@Suite struct TTSBadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let path: String
        let body: String
        var contentType = "application/json"
        let status: Int
        let code: String
        var testDescription: String { label }
    }

    static let wavBase64 = Data(TestAudio.toneWAV()).base64EncodedString()
    static let truncatedBase64 = Data(TestAudio.toneWAV().prefix(600)).base64EncodedString()
    static let textBase64 = Data("this is plain text, not audio at all".utf8).base64EncodedString()
    static let shortBase64 = Data(TestAudio.toneWAV(seconds: 0.1)).base64EncodedString()
    /// A valid 1 s clip at 8 kHz, small enough for two in one body.
    static let clipBase64 = Data(TestAudio.toneWAV(sampleRate: 8_000)).base64EncodedString()
    static let tinyBase64 = Data(TestAudio.toneWAV(seconds: 0.05)).base64EncodedString()
    /// Longer than the test config's max_audio_seconds (2), at 8 kHz to keep the body small.
    static let longBase64 = Data(TestAudio.toneWAV(seconds: 2.5, sampleRate: 8_000)).base64EncodedString()

    static let cases: [Case] = [
        Case(label: "not JSON", path: "/v1/tts", body: "text=hello", status: 400, code: "malformed_json"),
        Case(label: "cut-off JSON", path: "/v1/tts", body: #"{"text": "hi""#, status: 400, code: "malformed_json"),
        Case(label: "bare NaN literal", path: "/v1/tts", body: #"{"text": "hi", "cfg": NaN}"#, status: 400, code: "malformed_json"),
        Case(label: "empty body", path: "/v1/tts", body: "", status: 400, code: "empty_body"),
        Case(label: "array body", path: "/v1/tts", body: "[1]", status: 400, code: "invalid_request"),
        Case(label: "unknown field", path: "/v1/tts", body: #"{"text": "hi", "sped": 2}"#, status: 400, code: "invalid_request"),
        Case(label: "missing text", path: "/v1/tts", body: #"{"voice": "slt"}"#, status: 400, code: "invalid_request"),
        Case(label: "text not a string", path: "/v1/tts", body: #"{"text": 12}"#, status: 400, code: "invalid_request"),
        Case(label: "steps a fraction", path: "/v1/tts", body: #"{"text": "hi", "steps": 2.5}"#, status: 400, code: "invalid_request"),
        Case(label: "negative seed", path: "/v1/tts", body: #"{"text": "hi", "seed": -1}"#, status: 400, code: "invalid_request"),
        Case(label: "unknown field in guidance", path: "/v1/tts", body: #"{"text": "hi", "guidance": {"scale": 1, "value_model": "v", "x": 1}}"#, status: 400, code: "invalid_request"),
        Case(label: "wrong content type", path: "/v1/tts", body: #"{"text": "hi"}"#, contentType: "text/plain", status: 415, code: "unsupported_media_type"),
        Case(label: "form content type", path: "/v1/tts", body: "text=hi", contentType: "application/x-www-form-urlencoded", status: 415, code: "unsupported_media_type"),
        Case(label: "empty text", path: "/v1/tts", body: #"{"text": ""}"#, status: 422, code: "invalid_text"),
        Case(label: "whitespace text", path: "/v1/tts", body: #"{"text": "  \n\t "}"#, status: 422, code: "invalid_text"),
        Case(label: "huge text", path: "/v1/tts", body: #"{"text": "\#(String(repeating: "a", count: 2_001))"}"#, status: 422, code: "text_too_long"),
        Case(label: "unspeakable text", path: "/v1/tts", body: #"{"text": "\u0007\u0001"}"#, status: 422, code: "invalid_text"),
        Case(label: "huge cfg (parses as infinity or fails)", path: "/v1/tts", body: #"{"text": "hi", "cfg": 1e400}"#, status: 0, code: ""),
        Case(label: "cfg out of range", path: "/v1/tts", body: #"{"text": "hi", "cfg": 11}"#, status: 422, code: "invalid_cfg"),
        Case(label: "voice_scale out of range", path: "/v1/tts", body: #"{"text": "hi", "voice_scale": 10.5}"#, status: 422, code: "invalid_voice_scale"),
        Case(label: "negative voice_scale", path: "/v1/tts", body: #"{"text": "hi", "voice_scale": -1}"#, status: 422, code: "invalid_voice_scale"),
        Case(label: "voice_scale a string", path: "/v1/tts", body: #"{"text": "hi", "voice_scale": "2"}"#, status: 400, code: "invalid_request"),
        Case(label: "timbre_match above 1", path: "/v1/tts", body: #"{"text": "hi", "timbre_match": 1.5}"#, status: 422, code: "invalid_timbre_match"),
        Case(label: "negative timbre_match", path: "/v1/tts", body: #"{"text": "hi", "timbre_match": -0.1}"#, status: 422, code: "invalid_timbre_match"),
        Case(label: "negative temperature", path: "/v1/tts", body: #"{"text": "hi", "temperature": -0.5}"#, status: 422, code: "invalid_temperature"),
        Case(label: "steps 0", path: "/v1/tts", body: #"{"text": "hi", "steps": 0}"#, status: 422, code: "invalid_steps"),
        Case(label: "steps too many", path: "/v1/tts", body: #"{"text": "hi", "steps": 9}"#, status: 422, code: "invalid_steps"),
        Case(label: "max_seconds 0", path: "/v1/tts", body: #"{"text": "hi", "max_seconds": 0}"#, status: 422, code: "invalid_max_seconds"),
        Case(label: "max_seconds too long", path: "/v1/tts", body: #"{"text": "hi", "max_seconds": 3}"#, status: 422, code: "invalid_max_seconds"),
        Case(label: "unknown response format", path: "/v1/tts", body: #"{"text": "hi", "response_format": "mp3"}"#, status: 422, code: "invalid_response_format"),
        Case(label: "guidance scale too big", path: "/v1/tts", body: #"{"text": "hi", "guidance": {"value_model": "v", "scale": 1e9}}"#, status: 422, code: "invalid_guidance.scale"),
        Case(label: "guidance scale negative", path: "/v1/tts", body: #"{"text": "hi", "guidance": {"value_model": "v", "scale": -1}}"#, status: 422, code: "invalid_guidance.scale"),
        Case(label: "guidance scale NaN literal", path: "/v1/tts", body: #"{"text": "hi", "guidance": {"value_model": "v", "scale": NaN}}"#, status: 400, code: "malformed_json"),
        Case(label: "guidance scale a string", path: "/v1/tts", body: #"{"text": "hi", "guidance": {"value_model": "v", "scale": "NaN"}}"#, status: 400, code: "invalid_request"),
        Case(label: "guidance scale null", path: "/v1/tts", body: #"{"text": "hi", "guidance": {"value_model": "v", "scale": null}}"#, status: 400, code: "invalid_request"),
        Case(label: "guidance without scale", path: "/v1/tts", body: #"{"text": "hi", "guidance": {"value_model": "v"}}"#, status: 400, code: "invalid_request"),
        Case(label: "guidance without value model", path: "/v1/tts", body: #"{"text": "hi", "guidance": {"scale": 1}}"#, status: 400, code: "invalid_request"),
        Case(label: "guidance value model a number", path: "/v1/tts", body: #"{"text": "hi", "guidance": {"value_model": 3, "scale": 1}}"#, status: 400, code: "invalid_request"),
        Case(label: "guidance not an object", path: "/v1/tts", body: #"{"text": "hi", "guidance": 2}"#, status: 400, code: "invalid_request"),
        Case(label: "guidance unknown value model", path: "/v1/tts", body: #"{"text": "hi", "guidance": {"value_model": "v", "scale": 2}}"#, status: 404, code: "value_model_not_found"),
        Case(label: "guidance unknown value model at scale 0", path: "/v1/tts", body: #"{"text": "hi", "guidance": {"value_model": "v", "scale": 0}}"#, status: 404, code: "value_model_not_found"),
        Case(label: "guidance naming a speech model", path: "/v1/tts", body: #"{"text": "hi", "guidance": {"value_model": "tiny", "scale": 1}}"#, status: 404, code: "value_model_not_found"),
        Case(label: "best_of k 0", path: "/v1/tts", body: #"{"text": "hi", "best_of": {"k": 0, "reward": "f0v"}}"#, status: 422, code: "invalid_best_of"),
        Case(label: "best_of k negative", path: "/v1/tts", body: #"{"text": "hi", "best_of": {"k": -2, "reward": "f0v"}}"#, status: 422, code: "invalid_best_of"),
        Case(label: "best_of k too big", path: "/v1/tts", body: #"{"text": "hi", "best_of": {"k": 9, "reward": "f0v"}}"#, status: 422, code: "invalid_best_of"),
        Case(label: "best_of k a fraction", path: "/v1/tts", body: #"{"text": "hi", "best_of": {"k": 2.5, "reward": "f0v"}}"#, status: 400, code: "invalid_request"),
        Case(label: "best_of k a string", path: "/v1/tts", body: #"{"text": "hi", "best_of": {"k": "4", "reward": "f0v"}}"#, status: 400, code: "invalid_request"),
        Case(label: "best_of reward a number", path: "/v1/tts", body: #"{"text": "hi", "best_of": {"k": 2, "reward": 1}}"#, status: 400, code: "invalid_request"),
        Case(label: "best_of unknown field", path: "/v1/tts", body: #"{"text": "hi", "best_of": {"k": 2, "reward": "f0v", "by": "max"}}"#, status: 400, code: "invalid_request"),
        Case(label: "best_of without reward", path: "/v1/tts", body: #"{"text": "hi", "best_of": {"k": 4}}"#, status: 422, code: "invalid_best_of"),
        Case(label: "best_of unknown reward", path: "/v1/tts", body: #"{"text": "hi", "best_of": {"k": 4, "reward": "ctc"}}"#, status: 422, code: "invalid_best_of"),
        Case(label: "best_of unknown reward at k 1", path: "/v1/tts", body: #"{"text": "hi", "best_of": {"k": 1, "reward": "mos"}}"#, status: 422, code: "invalid_best_of"),
        Case(label: "best_of empty reward", path: "/v1/tts", body: #"{"text": "hi", "best_of": {"k": 2, "reward": ""}}"#, status: 422, code: "invalid_best_of"),
        Case(label: "best_of bad weight", path: "/v1/tts", body: #"{"text": "hi", "best_of": {"k": 2, "reward": "f0v:lots"}}"#, status: 422, code: "invalid_best_of"),
        Case(label: "best_of reward model not loaded", path: "/v1/tts", body: #"{"text": "hi", "best_of": {"k": 4, "reward": "ctc_likelihood"}}"#, status: 501, code: "reward_model_not_loaded"),
        Case(label: "best_of one of two rewards not loaded", path: "/v1/tts", body: #"{"text": "hi", "best_of": {"k": 2, "reward": "f0v,per:2"}}"#, status: 501, code: "reward_model_not_loaded"),
        Case(label: "unknown model", path: "/v1/tts", body: #"{"text": "hi", "model": "huge"}"#, status: 404, code: "model_not_found"),
        Case(label: "unknown voice", path: "/v1/tts", body: #"{"text": "hi", "voice": "nobody"}"#, status: 404, code: "voice_not_found"),
        Case(label: "path trick voice", path: "/v1/tts", body: #"{"text": "hi", "voice": "../../etc/passwd"}"#, status: 404, code: "voice_not_found"),
        Case(label: "voice and prompt audio", path: "/v1/tts", body: #"{"text": "hi", "voice": "slt", "prompt_audio": "\#(wavBase64)", "prompt_text": "a"}"#, status: 422, code: "conflicting_fields"),
        Case(label: "prompt audio without text", path: "/v1/tts", body: #"{"text": "hi", "prompt_audio": "\#(wavBase64)"}"#, status: 422, code: "missing_prompt_text"),
        Case(label: "prompt audio not base64", path: "/v1/tts", body: #"{"text": "hi", "prompt_audio": "@@@not base64@@@", "prompt_text": "a"}"#, status: 400, code: "invalid_base64"),
        Case(label: "prompt audio not audio", path: "/v1/tts", body: #"{"text": "hi", "prompt_audio": "\#(textBase64)", "prompt_text": "a"}"#, status: 422, code: "invalid_audio"),
        Case(label: "prompt audio truncated", path: "/v1/tts", body: #"{"text": "hi", "prompt_audio": "\#(truncatedBase64)", "prompt_text": "a"}"#, status: 422, code: "invalid_audio"),
        Case(label: "prompt audio too short", path: "/v1/tts", body: #"{"text": "hi", "prompt_audio": "\#(shortBase64)", "prompt_text": "a"}"#, status: 422, code: "invalid_audio"),
        Case(label: "openai: missing voice", path: "/v1/audio/speech", body: #"{"model": "tts-1", "input": "hi"}"#, status: 400, code: "invalid_request"),
        Case(label: "openai: speed 2", path: "/v1/audio/speech", body: #"{"model": "tts-1", "input": "hi", "voice": "slt", "speed": 2}"#, status: 422, code: "invalid_speed"),
        Case(label: "openai: mp3", path: "/v1/audio/speech", body: #"{"model": "tts-1", "input": "hi", "voice": "slt", "response_format": "mp3"}"#, status: 422, code: "invalid_response_format"),
        Case(label: "openai: unknown voice", path: "/v1/audio/speech", body: #"{"model": "tts-1", "input": "hi", "voice": "alloy"}"#, status: 404, code: "voice_not_found"),
        Case(label: "openai: unknown model", path: "/v1/audio/speech", body: #"{"model": "gpt-9", "input": "hi", "voice": "slt"}"#, status: 404, code: "model_not_found"),
        Case(label: "openai: unknown field", path: "/v1/audio/speech", body: #"{"model": "tts-1", "input": "hi", "voice": "slt", "instructions": "x"}"#, status: 400, code: "invalid_request"),
        Case(label: "score: empty body", path: "/v1/score", body: "", status: 400, code: "empty_body"),
        Case(label: "score: not JSON", path: "/v1/score", body: "audio=x", status: 400, code: "malformed_json"),
        Case(label: "score: wrong content type", path: "/v1/score", body: #"{"audio": "\#(clipBase64)"}"#, contentType: "audio/wav", status: 415, code: "unsupported_media_type"),
        Case(label: "score: missing audio", path: "/v1/score", body: #"{"text": "hi"}"#, status: 400, code: "invalid_request"),
        Case(label: "score: audio a number", path: "/v1/score", body: #"{"audio": 12}"#, status: 400, code: "invalid_request"),
        Case(label: "score: audio null", path: "/v1/score", body: #"{"audio": null}"#, status: 400, code: "invalid_request"),
        Case(label: "score: text a number", path: "/v1/score", body: #"{"audio": "\#(clipBase64)", "text": 5}"#, status: 400, code: "invalid_request"),
        Case(label: "score: unknown field", path: "/v1/score", body: #"{"audio": "\#(clipBase64)", "reward": "f0v"}"#, status: 400, code: "invalid_request"),
        Case(label: "score: audio not base64", path: "/v1/score", body: #"{"audio": "@@@not base64@@@"}"#, status: 400, code: "invalid_base64"),
        Case(label: "score: empty audio", path: "/v1/score", body: #"{"audio": ""}"#, status: 422, code: "invalid_audio"),
        Case(label: "score: audio not audio", path: "/v1/score", body: #"{"audio": "\#(textBase64)"}"#, status: 422, code: "invalid_audio"),
        Case(label: "score: audio truncated", path: "/v1/score", body: #"{"audio": "\#(truncatedBase64)"}"#, status: 422, code: "invalid_audio"),
        Case(label: "score: audio too short", path: "/v1/score", body: #"{"audio": "\#(tinyBase64)"}"#, status: 422, code: "invalid_audio"),
        Case(label: "score: audio too long", path: "/v1/score", body: #"{"audio": "\#(longBase64)"}"#, status: 422, code: "invalid_audio"),
        Case(label: "score: empty text", path: "/v1/score", body: #"{"audio": "\#(clipBase64)", "text": " "}"#, status: 422, code: "invalid_text"),
        Case(label: "score: unspeakable text", path: "/v1/score", body: #"{"audio": "\#(clipBase64)", "text": "\u0007"}"#, status: 422, code: "invalid_text"),
        Case(label: "score: huge text", path: "/v1/score", body: #"{"audio": "\#(clipBase64)", "text": "\#(String(repeating: "a", count: 2_001))"}"#, status: 422, code: "text_too_long"),
        Case(label: "score: unknown voice", path: "/v1/score", body: #"{"audio": "\#(clipBase64)", "voice": "nobody"}"#, status: 404, code: "voice_not_found"),
        Case(label: "score: voice and prompt audio", path: "/v1/score", body: #"{"audio": "\#(clipBase64)", "voice": "slt", "prompt_audio": "\#(clipBase64)"}"#, status: 422, code: "conflicting_fields"),
        Case(label: "score: prompt audio not audio", path: "/v1/score", body: #"{"audio": "\#(clipBase64)", "prompt_audio": "\#(textBase64)"}"#, status: 422, code: "invalid_audio"),
        Case(label: "score: prompt audio too short", path: "/v1/score", body: #"{"audio": "\#(clipBase64)", "prompt_audio": "\#(shortBase64)"}"#, status: 422, code: "invalid_audio"),
    ]

    @Test(arguments: cases)
    func badRequestIsAJSONClientError(_ badCase: Case) throws {
        try TestServer.with(try TestServer.synthesisConfig(maxBodyBytes: 64 << 10)) { server in
            let reply = try TestHTTPClient.postJSON(port: server.port, badCase.path, badCase.body, contentType: badCase.contentType)
            if badCase.status == 0 {
                // Either the parser refuses the number (400) or it becomes infinity (422).
                #expect([400, 422].contains(reply.status), "\(reply.text)")
            } else {
                #expect(reply.status == badCase.status, "\(reply.text)")
                #expect(reply.errorCode == badCase.code, "\(reply.text)")
            }
            #expect(reply.header("Content-Type") == "application/json")
            #expect(reply.errorCode != nil)
            #expect(try TestHTTPClient.send(port: server.port, "GET", "/health").status == 200)
        }
    }

    @Test func oversizedBodyIs413() throws {
        try TestServer.with(try TestServer.synthesisConfig(maxBodyBytes: 4096)) { server in
            let reply = try TestHTTPClient.postJSON(port: server.port, "/v1/tts", #"{"text": "\#(String(repeating: "a", count: 5000))"}"#)
            #expect(reply.status == 413)
            #expect(reply.errorCode == "body_too_large")
            #expect(try TestHTTPClient.send(port: server.port, "GET", "/health").status == 200)
        }
    }

    @Test func oversizedScoreBodyIs413() throws {
        try TestServer.with(try TestServer.synthesisConfig(maxBodyBytes: 4096)) { server in
            let reply = try TestHTTPClient.postJSON(port: server.port, "/v1/score", object: ["audio": Self.wavBase64])
            #expect(reply.status == 413)
            #expect(reply.errorCode == "body_too_large")
            #expect(try TestHTTPClient.send(port: server.port, "GET", "/health").status == 200)
        }
    }

    @Test(arguments: [("GET", "/v1/score"), ("GET", "/v1/tts"), ("PUT", "/v1/tts"), ("GET", "/v1/audio/speech"), ("PUT", "/v1/voices"), ("POST", "/v1/voices/slt"), ("POST", "/metrics")])
    func wrongMethodIs405(method: String, path: String) throws {
        try TestServer.with(try TestServer.synthesisConfig()) { server in
            let reply = try TestHTTPClient.send(port: server.port, method, path)
            #expect(reply.status == 405)
            #expect(reply.errorCode == "method_not_allowed")
        }
    }
}
