import Foundation

/// Listening tests in SQLite: tests, their items, the audio clips of both systems, the pairs
/// listeners rate, every presentation (which side each system was shown on) and the ratings.
///
/// Every change is one transaction, and an acknowledged rating is on disk (WAL, synchronous
/// FULL): a crash loses nothing that was answered. Pairs are written in the same transaction
/// that marks a test ready, so a test is served whole or not at all. Calls are serialised by
/// one lock (SQLite work here is short; audio generation happens outside the lock).
final class ListeningTestStore: @unchecked Sendable {
    private let db: SQLiteDatabase
    private let lock = NSLock()

    init(path: String) throws {
        db = try SQLiteDatabase(path: path)
        try db.execute("""
            CREATE TABLE IF NOT EXISTS tests (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,
                system_a TEXT NOT NULL, system_b TEXT NOT NULL, samples_per_item INTEGER NOT NULL,
                status TEXT NOT NULL, error TEXT, created REAL NOT NULL);
            CREATE TABLE IF NOT EXISTS items (test TEXT NOT NULL REFERENCES tests(id), item INTEGER NOT NULL,
                text TEXT NOT NULL, voice TEXT, PRIMARY KEY (test, item));
            CREATE TABLE IF NOT EXISTS clips (id INTEGER PRIMARY KEY, test TEXT NOT NULL REFERENCES tests(id),
                item INTEGER NOT NULL, sample INTEGER NOT NULL, system TEXT NOT NULL, wav BLOB NOT NULL,
                UNIQUE (test, item, sample, system));
            CREATE TABLE IF NOT EXISTS pairs (id INTEGER PRIMARY KEY, test TEXT NOT NULL REFERENCES tests(id),
                item INTEGER NOT NULL, sample INTEGER NOT NULL, clip_a INTEGER NOT NULL, clip_b INTEGER NOT NULL,
                UNIQUE (test, item, sample));
            CREATE TABLE IF NOT EXISTS presentations (id TEXT PRIMARY KEY, test TEXT NOT NULL, pair INTEGER NOT NULL,
                listener TEXT NOT NULL, swapped INTEGER NOT NULL, created REAL NOT NULL);
            CREATE INDEX IF NOT EXISTS presentations_by_listener ON presentations (test, listener, pair);
            CREATE TABLE IF NOT EXISTS ratings (id INTEGER PRIMARY KEY, test TEXT NOT NULL, pair INTEGER NOT NULL,
                listener TEXT NOT NULL, presentation TEXT NOT NULL, score INTEGER NOT NULL, corrected INTEGER NOT NULL,
                created REAL NOT NULL, UNIQUE (test, pair, listener));
            """)
    }

    @discardableResult
    private func locked<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// A new test. `reference` is the prompt voice's WAV per item (similarity tests show it);
    /// with `uploaded` clips (per item: samples of A, samples of B) the test is ready at once.
    struct NewTest {
        var id: String, name: String, kind: ListeningTestKind
        var systemA: ListeningSystem, systemB: ListeningSystem
        var samplesPerItem: Int
        var items: [(text: String, voice: String?)]
        var references: [[UInt8]?]
        var uploaded: [(a: [[UInt8]], b: [[UInt8]])]?
    }

    func create(_ test: NewTest) throws {
        let encoder = JSONCoding.encoder()
        try locked {
            try db.transaction {
                try db.query("INSERT INTO tests VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)", [
                    .text(test.id), .text(test.name), .text(test.kind.rawValue),
                    .text(String(decoding: try encoder.encode(test.systemA), as: UTF8.self)),
                    .text(String(decoding: try encoder.encode(test.systemB), as: UTF8.self)),
                    .integer(Int64(test.samplesPerItem)), .text(ListeningTestStatus.generating.rawValue),
                    .real(Date().timeIntervalSince1970)])
                for (i, item) in test.items.enumerated() {
                    try db.query("INSERT INTO items VALUES (?, ?, ?, ?)", [.text(test.id), .integer(Int64(i)), .text(item.text),
                                                                          item.voice.map { .text($0) } ?? .null])
                    if let wav = test.references[i] { try insertClip(test.id, item: i, sample: 0, system: "ref", wav: wav) }
                }
                guard let uploaded = test.uploaded else { return }
                for (i, clips) in uploaded.enumerated() {
                    for (s, wav) in clips.a.enumerated() { try insertClip(test.id, item: i, sample: s, system: "A", wav: wav) }
                    for (s, wav) in clips.b.enumerated() { try insertClip(test.id, item: i, sample: s, system: "B", wav: wav) }
                }
                try makePairsAndMarkReady(test.id)
            }
        }
    }

    private func insertClip(_ test: String, item: Int, sample: Int, system: String, wav: [UInt8]) throws {
        try db.query("INSERT OR REPLACE INTO clips (test, item, sample, system, wav) VALUES (?, ?, ?, ?, ?)",
                     [.text(test), .integer(Int64(item)), .integer(Int64(sample)), .text(system), .blob(wav)])
    }

    /// One generated clip, committed on its own: generation resumes after a restart from here.
    func addClip(test: String, item: Int, sample: Int, system: String, wav: [UInt8]) throws {
        try locked { try db.transaction { try insertClip(test, item: item, sample: sample, system: system, wav: wav) } }
    }

    /// The (item, sample, system) clips a generating test still lacks, with the item's text and voice.
    func missingClips(test: String) throws -> [(item: Int, sample: Int, system: String, text: String, voice: String?)] {
        try locked {
            guard let row = try db.query("SELECT samples_per_item FROM tests WHERE id = ?", [.text(test)]).first,
                  let samples = row[0].int else { return [] }
            let have = Set(try db.query("SELECT item, sample, system FROM clips WHERE test = ?", [.text(test)])
                .map { "\($0[0].int!)/\($0[1].int!)/\($0[2].string!)" })
            var missing: [(Int, Int, String, String, String?)] = []
            for item in try db.query("SELECT item, text, voice FROM items WHERE test = ? ORDER BY item", [.text(test)]) {
                for sample in 0..<samples {
                    for system in ["A", "B"] where !have.contains("\(item[0].int!)/\(sample)/\(system)") {
                        missing.append((item[0].int!, sample, system, item[1].string!, item[2].string))
                    }
                }
            }
            return missing
        }
    }

    /// All clips present: the pairs and the ready status in one transaction.
    func finishGeneration(test: String) throws {
        try locked { try db.transaction { try makePairsAndMarkReady(test) } }
    }

    private func makePairsAndMarkReady(_ test: String) throws {
        try db.query("""
            INSERT INTO pairs (test, item, sample, clip_a, clip_b)
            SELECT a.test, a.item, a.sample, a.id, b.id FROM clips a JOIN clips b
              ON b.test = a.test AND b.item = a.item AND b.sample = a.sample AND b.system = 'B'
            WHERE a.test = ? AND a.system = 'A' ORDER BY a.item, a.sample
            """, [.text(test)])
        try db.query("UPDATE tests SET status = ? WHERE id = ?", [.text(ListeningTestStatus.ready.rawValue), .text(test)])
    }

    func fail(test: String, reason: String) throws {
        try locked {
            try db.query("UPDATE tests SET status = ?, error = ? WHERE id = ?",
                         [.text(ListeningTestStatus.failed.rawValue), .text(reason), .text(test)])
        }
    }

    /// Tests whose audio is still being generated (resumed at start-up).
    func generatingTests() throws -> [String] {
        try locked {
            try db.query("SELECT id FROM tests WHERE status = ? ORDER BY created", [.text(ListeningTestStatus.generating.rawValue)])
                .compactMap { $0[0].string }
        }
    }

    func summaries(id: String? = nil) throws -> [ListeningTestSummary] {
        let decoder = JSONCoding.decoder()
        return try locked {
            let rows = try db.query("""
                SELECT t.id, t.name, t.kind, t.status, t.system_a, t.system_b, t.samples_per_item, t.error,
                  (SELECT COUNT(*) FROM items i WHERE i.test = t.id), (SELECT COUNT(*) FROM pairs p WHERE p.test = t.id),
                  (SELECT COUNT(*) FROM ratings r WHERE r.test = t.id)
                FROM tests t \(id == nil ? "" : "WHERE t.id = ?") ORDER BY t.created
                """, id.map { [.text($0)] } ?? [])
            return try rows.map { r in
                let kind = ListeningTestKind(rawValue: r[2].string!)!
                return ListeningTestSummary(
                    id: r[0].string!, name: r[1].string!, kind: kind, status: ListeningTestStatus(rawValue: r[3].string!)!,
                    systemA: try decoder.decode(ListeningSystem.self, from: Data(r[4].string!.utf8)),
                    systemB: try decoder.decode(ListeningSystem.self, from: Data(r[5].string!.utf8)),
                    items: r[8].int!, samplesPerItem: r[6].int!, pairs: r[9].int!, ratings: r[10].int!, error: r[7].string,
                    instructions: kind.instructions, question: kind.question)
            }
        }
    }

    func summary(id: String) throws -> ListeningTestSummary {
        guard let found = try summaries(id: id).first else {
            throw APIError.notFound("no listening test '\(id)' (see GET /v1/listening-tests)", code: "test_not_found")
        }
        return found
    }

    /// The listener's next pair in a random order with random sides, or nil when every pair is
    /// rated. A pair shown but not yet rated is shown again the same way (a reloaded page keeps
    /// its sides).
    func next(test: String, listener: String, clipURL: (Int) -> String) throws -> ListeningPresentation? {
        try locked {
            let unrated = try db.query("""
                SELECT p.id, p.clip_a, p.clip_b, i.text, (SELECT c.id FROM clips c WHERE c.test = p.test AND c.item = p.item
                  AND c.system = 'ref') FROM pairs p JOIN items i ON i.test = p.test AND i.item = p.item
                WHERE p.test = ? AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.test = p.test AND r.pair = p.id AND r.listener = ?)
                ORDER BY p.id
                """, [.text(test), .text(listener)])
            guard !unrated.isEmpty else { return nil }
            let shown = try db.query("SELECT id, pair, swapped FROM presentations WHERE test = ? AND listener = ? ORDER BY created",
                                     [.text(test), .text(listener)])
            let unratedIDs = Set(unrated.map { $0[0].int! })
            let row: [SQLiteValue], presentation: String, swapped: Bool
            if let open = shown.first(where: { unratedIDs.contains($0[1].int!) }) {
                row = unrated.first { $0[0].int! == open[1].int! }!
                presentation = open[0].string!; swapped = open[2].int! == 1
            } else {
                row = unrated.randomElement()!
                presentation = UUID().uuidString.lowercased(); swapped = Bool.random()
                try db.transaction {
                    try db.query("INSERT INTO presentations VALUES (?, ?, ?, ?, ?, ?)", [
                        .text(presentation), .text(test), .integer(Int64(row[0].int!)), .text(listener),
                        .integer(swapped ? 1 : 0), .real(Date().timeIntervalSince1970)])
                }
            }
            let (a, b) = swapped ? (row[2].int!, row[1].int!) : (row[1].int!, row[2].int!)
            return ListeningPresentation(presentation: presentation, pair: row[0].int!, text: row[3].string!,
                                         audioA: clipURL(a), audioB: clipURL(b), reference: row[4].int.map(clipURL),
                                         remaining: unrated.count)
        }
    }

    /// Stores a rating of a presentation (−2: A much better … +2: B much better, as shown) and
    /// its score for system B over system A after undoing the flip. 404 for a presentation
    /// this listener was not shown in this test; 409 when the listener already rated the pair.
    func rate(test: String, listener: String, presentation: String, score: Int) throws -> Int {
        try locked {
            guard let shown = try db.query("SELECT pair, swapped FROM presentations WHERE id = ? AND test = ? AND listener = ?",
                                           [.text(presentation), .text(test), .text(listener)]).first else {
                throw APIError.notFound("no presentation '\(presentation)' of this test for listener '\(listener)'",
                                        code: "presentation_not_found")
            }
            let corrected = shown[1].int! == 1 ? -score : score
            do {
                return try db.transaction {
                    try db.query("INSERT INTO ratings (test, pair, listener, presentation, score, corrected, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                 [.text(test), .integer(Int64(shown[0].int!)), .text(listener), .text(presentation),
                                  .integer(Int64(score)), .integer(Int64(corrected)), .real(Date().timeIntervalSince1970)])
                    return try db.query("SELECT last_insert_rowid()")[0][0].int!
                }
            } catch let error as SQLiteError where error.isConstraint {
                throw APIError(status: 409, code: "already_rated", message: "listener '\(listener)' has already rated this pair")
            }
        }
    }

    func results(test: String) throws -> ListeningResults {
        try locked {
            let rows = try db.query("SELECT corrected, listener FROM ratings WHERE test = ?", [.text(test)])
            return ListeningResults(test: test, scores: rows.map { $0[0].int! }, listeners: Set(rows.map { $0[1].string! }).count)
        }
    }

    /// Every rating with its pair, item, sides and both scores (the export).
    func ratings(test: String) throws -> [[String: SQLiteValue]] {
        try locked {
            let columns = ["rating", "listener", "pair", "item", "sample", "presentation", "swapped", "score", "score_b_over_a", "created"]
            return try db.query("""
                SELECT r.id, r.listener, r.pair, p.item, p.sample, r.presentation, s.swapped, r.score, r.corrected, r.created
                FROM ratings r JOIN pairs p ON p.id = r.pair JOIN presentations s ON s.id = r.presentation
                WHERE r.test = ? ORDER BY r.id
                """, [.text(test)]).map { Dictionary(uniqueKeysWithValues: zip(columns, $0)) }
        }
    }

    func clip(test: String, id: Int) throws -> [UInt8]? {
        try locked { try db.query("SELECT wav FROM clips WHERE test = ? AND id = ?", [.text(test), .integer(Int64(id))]).first?[0].bytes }
    }
}
