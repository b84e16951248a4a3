import Foundation
import Testing
@testable import Serving

/// multipart/form-data uploads to `/v1/tts` and `/v1/voices`, and the parser's refusals.
@Suite struct MultipartTests {
    static let boundary = "vgpo-test-boundary-7f3a"

    /// A form body: text fields, then files (name, filename, bytes).
    static func form(_ fields: [(String, String)], files: [(String, String, [UInt8])] = []) -> [UInt8] {
        var body: [UInt8] = Array("preamble to ignore\r\n".utf8)
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for (name, filename, bytes) in files {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\nContent-Type: audio/wav\r\n\r\n".utf8)
            body += bytes + Array("\r\n".utf8)
        }
        return body + Array("--\(boundary)--\r\n".utf8)
    }

    static func post(_ server: VGPOServer, _ path: String, _ body: [UInt8], boundary: String = boundary) throws -> TestHTTPClient.Reply {
        try TestHTTPClient.send(port: server.port, "POST", path,
                                headers: [("Content-Type", "multipart/form-data; boundary=\"\(boundary)\"")], body: body)
    }

    @Test func ttsAcceptsAnUploadedPrompt() throws {
        try TestServer.with(try TestServer.synthesisConfig()) { server in
            let body = Self.form([("text", "Hello."), ("prompt_text", "A humming tone."), ("seed", "18446744073709551615"),
                                  ("steps", "2"), ("max_seconds", "0.3"), ("response_format", "wav16")],
                                 files: [("prompt_audio", "tone.wav", TestAudio.toneWAV())])
            let reply = try Self.post(server, "/v1/tts", body)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.header("X-Seed") == "18446744073709551615")
            #expect(reply.header("Content-Type") == "audio/wav")
        }
    }

    @Test func voiceUploadAcceptsAFile() throws {
        try TestServer.with(TestServer.config(maxBodyBytes: 1 << 20)) { server in
            let body = Self.form([("name", "Form voice"), ("prompt_text", "A humming tone.")],
                                 files: [("audio", "tone.wav", TestAudio.toneWAV())])
            let reply = try Self.post(server, "/v1/voices", body)
            #expect(reply.status == 201, "\(reply.text)")
            #expect(reply.json?["name"] as? String == "Form voice")
        }
    }

    @Test(arguments: [
        ("no delimiter", Array("just text".utf8), 400, "malformed_multipart"),
        ("unterminated part", Array("--\(MultipartTests.boundary)\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhi".utf8), 400, "malformed_multipart"),
        ("part without a name", Array("--\(MultipartTests.boundary)\r\nContent-Disposition: form-data\r\n\r\nhi\r\n--\(MultipartTests.boundary)--".utf8), 400, "malformed_multipart"),
        ("duplicate field", MultipartTests.form([("text", "a"), ("text", "b")]), 400, "malformed_multipart"),
        ("unknown field", MultipartTests.form([("text", "a"), ("colour", "b")]), 400, "invalid_request"),
        ("steps not a number", MultipartTests.form([("text", "a"), ("steps", "many")]), 400, "invalid_request"),
        ("cfg nan", MultipartTests.form([("text", "a"), ("cfg", "nan")]), 400, "invalid_request"),
        ("non-audio file", MultipartTests.form([("text", "a"), ("prompt_text", "b")], files: [("prompt_audio", "x.wav", Array("not audio".utf8))]), 422, "invalid_audio"),
    ])
    func badFormsAreRefused(label: String, body: [UInt8], status: Int, code: String) throws {
        try TestServer.with(try TestServer.synthesisConfig()) { server in
            let reply = try Self.post(server, "/v1/tts", body)
            #expect(reply.status == status, "\(label): \(reply.text)")
            #expect(reply.errorCode == code, "\(label)")
            #expect(try TestHTTPClient.send(port: server.port, "GET", "/health").status == 200)
        }
    }

    @Test func formWithoutABoundaryIs400() throws {
        try TestServer.with(try TestServer.synthesisConfig()) { server in
            let reply = try TestHTTPClient.send(port: server.port, "POST", "/v1/tts",
                                                headers: [("Content-Type", "multipart/form-data")], body: Array("x".utf8))
            #expect(reply.status == 400)
            #expect(reply.errorCode == "malformed_multipart")
        }
    }
}
