import Foundation
import Testing
@testable import Serving

/// `Request.decodeJSONBody`: how each kind of bad JSON body becomes an API error.
@Suite struct JSONBodyTests {
    struct Sample: Decodable {
        let text: String
        let steps: Int?

        enum CodingKeys: String, CodingKey, CaseIterable { case text, steps }

        init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            text = try container.decode(String.self, forKey: .text)
            steps = try container.decodeIfPresent(Int.self, forKey: .steps)
        }
    }

    static func request(_ body: String, contentType: String? = "application/json") -> Request {
        var headers = HTTPHeaders()
        if let contentType { headers.add("Content-Type", contentType) }
        return Request(method: .post, path: "/x", headers: headers, body: Array(body.utf8))
    }

    static func error(_ request: Request) -> APIError? {
        do {
            _ = try request.decodeJSONBody(Sample.self)
            return nil
        } catch {
            return error as? APIError
        }
    }

    @Test func validBodyDecodes() throws {
        let sample = try Self.request(#"{"text": "hello", "steps": 8}"#, contentType: "Application/JSON; charset=utf-8")
            .decodeJSONBody(Sample.self)
        #expect(sample.text == "hello")
        #expect(sample.steps == 8)
    }

    @Test func missingContentTypeIsTolerated() throws {
        #expect(try Self.request(#"{"text": "hi"}"#, contentType: nil).decodeJSONBody(Sample.self).text == "hi")
    }

    @Test(arguments: [
        (#"{"text": "hi""#, 400, "malformed_json"),
        ("not json", 400, "malformed_json"),
        ("", 400, "empty_body"),
        (#"{"text": 3}"#, 400, "invalid_request"),
        (#"{"steps": 3}"#, 400, "invalid_request"),
        (#"{"text": null}"#, 400, "invalid_request"),
        (#"{"text": "hi", "stepz": 3}"#, 400, "invalid_request"),
        (#"[1, 2]"#, 400, "invalid_request"),
        (#"{"text": "hi", "steps": 1.5}"#, 400, "invalid_request"),
    ])
    func badBodiesAre400WithACode(body: String, status: Int, code: String) {
        let error = Self.error(Self.request(body))
        #expect(error?.status == status)
        #expect(error?.code == code)
    }

    @Test func errorMessagesNameTheField() {
        #expect(Self.error(Self.request(#"{"text": 3}"#))?.message.hasPrefix("text: expected a string") == true)
        #expect(Self.error(Self.request(#"{"steps": 3}"#))?.message == "text: required field is missing")
        #expect(Self.error(Self.request(#"{"text": "a", "stepz": 1}"#))?.message.hasPrefix("stepz: unknown field") == true)
        #expect(Self.error(Self.request(#"{"text": "a", "steps": 1.5}"#))?.message.contains("integer") == true)
        #expect(Self.error(Self.request(#"{"text": "a""#))?.message.hasPrefix("not valid JSON") == true)
    }

    @Test(arguments: ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
    func wrongContentTypeIs415(contentType: String) {
        let error = Self.error(Self.request(#"{"text": "hi"}"#, contentType: contentType))
        #expect(error?.status == 415)
        #expect(error?.code == "unsupported_media_type")
    }
}
