import Audio
import Foundation

/// The A/B listening-test backend (paper Appendix C): `/v1/listening-tests` and below.
///
/// Creating a test (admin) generates both systems' audio in the background, or stores uploaded
/// audio at once; listeners fetch pairs in a random order with random sides and rate them
/// −2 (A much better) … +2 (B much better); results give the CMOS of system B over system A
/// with a 95% interval; the export (admin) lists every rating.
struct ListeningTestRoutes: Sendable {
    let tests: ListeningTests
    let voices: VoiceStore
    let speech: SpeechService
    let limits: ServerConfig.Limits

    static let maxItems = 200, maxSamplesPerItem = 8, maxNameCharacters = 200

    private var store: ListeningTestStore { get throws { try tests.parts().store } }

    struct TestList: Encodable { let tests: [ListeningTestSummary] }
    struct Done: Encodable { let done: Bool; let remaining: Int }
    struct Rated: Encodable { let rating: Int }

    func list(_ request: Request, _ parameters: RouteParameters) throws -> Response {
        .json(TestList(tests: try store.summaries()))
    }

    func show(_ request: Request, _ parameters: RouteParameters) throws -> Response {
        .json(try store.summary(id: try testID(parameters)))
    }

    func create(_ request: Request, _ parameters: RouteParameters) throws -> Response {
        let body = try request.decodeJSONBody(ListeningTestCreateBody.self)
        let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...Self.maxNameCharacters).contains(name.count) else {
            throw APIError.unprocessable("name: 1 to \(Self.maxNameCharacters) characters", code: "invalid_name")
        }
        guard let kind = ListeningTestKind(rawValue: body.kind) else {
            let known = ListeningTestKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw APIError.unprocessable("kind: '\(body.kind)' is not one of \(known)", code: "invalid_kind")
        }
        let samples = body.samplesPerItem ?? 1
        guard (1...Self.maxSamplesPerItem).contains(samples) else {
            throw APIError.unprocessable("samples_per_item: must be within 1...\(Self.maxSamplesPerItem)", code: "invalid_samples_per_item")
        }
        guard (1...Self.maxItems).contains(body.items.count) else {
            throw APIError.unprocessable("items: 1 to \(Self.maxItems) items", code: "invalid_items")
        }
        let uploadedCount = body.items.filter { $0.audioA != nil || $0.audioB != nil }.count
        guard uploadedCount == 0 || uploadedCount == body.items.count else {
            throw APIError.unprocessable("items: give audio_a and audio_b for every item or for none", code: "mixed_items")
        }
        var references: [[UInt8]?] = [], uploaded: [(a: [[UInt8]], b: [[UInt8]])] = []
        for (i, item) in body.items.enumerated() {
            try speech.checkText(item.text, field: "items[\(i)].text")
            let reference = try item.voice.map { try voices.requireVoice(id: $0).audio } ?? voices.all.first?.audio
            references.append(kind.showsReference ? try reference.map { try AudioEncoder.wavBytes($0, encoding: .pcm16) } : nil)
            if uploadedCount > 0 {
                func clips(_ list: [String]?, _ field: String) throws -> [[UInt8]] {
                    guard let list, list.count == samples else {
                        throw APIError.unprocessable("items[\(i)].\(field): \(samples) clip(s) expected (samples_per_item)",
                                                     code: "invalid_items")
                    }
                    return try list.enumerated().map { s, text in
                        let audio = try AudioUpload.decode(base64: text, field: "items[\(i)].\(field)[\(s)]",
                                                           maxSeconds: limits.maxAudioSeconds, minimumSeconds: 0.1)
                        return try AudioEncoder.wavBytes(audio, encoding: .pcm16)
                    }
                }
                uploaded.append((try clips(item.audioA, "audio_a"), try clips(item.audioB, "audio_b")))
            }
        }
        for (field, system) in [("system_a", body.systemA), ("system_b", body.systemB)] {
            _ = try system.bestOfK(rewards: speech.models.rewards, limit: limits.maxBestOf, field: field)
            guard uploadedCount == 0 else { continue }   // uploaded audio: the settings only describe the system
            _ = try speech.models.speechModel(named: system.model)
            if let value = system.valueModel {
                _ = try speech.models.valueModel(named: value)
                _ = try GuidanceRequest(valueModel: value, scale: system.scale ?? 0, field: "\(field).scale")
            }
        }
        let id = "lt-" + UUID().uuidString.lowercased().prefix(12)
        do {
            try store.create(.init(id: id, name: name, kind: kind, systemA: body.systemA, systemB: body.systemB,
                                   samplesPerItem: samples, items: body.items.map { ($0.text, $0.voice) },
                                   references: references, uploaded: uploadedCount > 0 ? uploaded : nil))
        } catch {
            throw APIError.internal("could not store the test: \(error)")
        }
        if uploadedCount == 0 { try tests.parts().generator.enqueue(id) }
        return .json(try store.summary(id: id), status: 201, headers: ["Location": "/v1/listening-tests/\(id)"])
    }

    /// The listener's next pair (a presentation), or `{"done": true}` when all are rated.
    func next(_ request: Request, _ parameters: RouteParameters) throws -> Response {
        let id = try testID(parameters)
        let body = try request.decodeJSONBody(ListenerBody.self)
        try Self.checkListener(body.listener)
        let test = try store.summary(id: id)
        guard test.status == .ready else {
            throw APIError(status: 409, code: "test_not_ready", message: "test '\(id)' is \(test.status.rawValue)"
                           + (test.error.map { ": \($0)" } ?? ""))
        }
        guard let shown = try store.next(test: id, listener: body.listener, clipURL: { "/v1/listening-tests/\(id)/clips/\($0)" }) else {
            return .json(Done(done: true, remaining: 0))
        }
        return .json(shown)
    }

    func rate(_ request: Request, _ parameters: RouteParameters) throws -> Response {
        let id = try testID(parameters)
        let body = try request.decodeJSONBody(RatingBody.self)
        try Self.checkListener(body.listener)
        guard (-2...2).contains(body.score) else {
            throw APIError.unprocessable("score: must be an integer within -2...2 (A much better ... B much better), got \(body.score)",
                                         code: "invalid_score")
        }
        _ = try store.summary(id: id)
        let rating = try store.rate(test: id, listener: body.listener, presentation: body.presentation, score: body.score)
        return .json(Rated(rating: rating), status: 201)
    }

    func results(_ request: Request, _ parameters: RouteParameters) throws -> Response {
        let id = try testID(parameters)
        _ = try store.summary(id: id)
        return .json(try store.results(test: id))
    }

    /// Every rating, as CSV (`?format=csv`, the default) or JSON.
    func export(_ request: Request, _ parameters: RouteParameters) throws -> Response {
        let id = try testID(parameters)
        _ = try store.summary(id: id)
        let rows = try store.ratings(test: id)
        switch request.query["format"] ?? "csv" {
        case "json":
            return .json(rows.map { $0.mapValues(ExportValue.init) })
        case "csv":
            let columns = ["rating", "listener", "pair", "item", "sample", "presentation", "swapped", "score", "score_b_over_a", "created"]
            let lines = [columns.joined(separator: ",")] + rows.map { row in
                columns.map { ExportValue(row[$0] ?? .null).csv }.joined(separator: ",")
            }
            return Response(status: 200, headers: ["Content-Type": "text/csv; charset=utf-8",
                                                   "Content-Disposition": "attachment; filename=\"\(id).csv\""],
                            body: Array((lines.joined(separator: "\n") + "\n").utf8))
        default:
            throw APIError.unprocessable("format: csv or json", code: "invalid_format")
        }
    }

    func clip(_ request: Request, _ parameters: RouteParameters) throws -> Response {
        let id = try testID(parameters)
        guard let clip = Int(parameters["clip"] ?? ""), let wav = try store.clip(test: id, id: clip) else {
            throw APIError.notFound("no clip '\(parameters["clip"] ?? "")' in test '\(id)'", code: "clip_not_found")
        }
        return Response(status: 200, headers: ["Content-Type": "audio/wav", "Cache-Control": "private, max-age=3600"], body: wav)
    }

    private func testID(_ parameters: RouteParameters) throws -> String {
        let id = parameters["id"] ?? ""
        guard VoiceID.isWellFormed(id) else {
            throw APIError.badRequest("test id '\(id)' is not well formed", code: "invalid_test_id")
        }
        return id
    }

    /// Listener ids are chosen by the listener page: 1-64 of a-z, A-Z, 0-9, '-', '_'.
    static func checkListener(_ listener: String) throws {
        guard (1...64).contains(listener.count),
              listener.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "-" || $0 == "_" }) else {
            throw APIError.unprocessable("listener: 1-64 of A-Z, a-z, 0-9, '-', '_'", code: "invalid_listener")
        }
    }
}

/// A stored value as the export writes it.
private struct ExportValue: Encodable {
    let value: SQLiteValue
    init(_ value: SQLiteValue) { self.value = value }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch value {
        case .integer(let v): try c.encode(v)
        case .real(let v): try c.encode(v)
        case .text(let v): try c.encode(v)
        case .blob, .null: try c.encodeNil()
        }
    }

    var csv: String {
        switch value {
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .text(let v): return v.contains(where: { ",\"\n".contains($0) }) ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
        case .blob, .null: return ""
        }
    }
}
