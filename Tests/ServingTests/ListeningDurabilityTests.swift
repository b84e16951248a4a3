import Foundation
import Testing
@testable import Serving

/// Issue 8, must show 2: ratings survive SIGKILL. The real `vgpo-server` executable (built next
/// to this test bundle) takes rating submissions from four concurrent listeners' threads and is
/// killed with SIGKILL in the middle; after a restart on the same database, every rating the
/// server had acknowledged (201) is in the export.
@Suite(.serialized) struct ListeningDurabilityTests {
    /// A `vgpo-server` process and the port it announced.
    final class ServerProcess {
        let process = Process()
        let port: Int
        private let output = Pipe()

        init(config: URL) throws {
            let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("vgpo-server")
            guard FileManager.default.isExecutableFile(atPath: binary.path) else {
                throw TestHTTPClient.Failure(description: "no vgpo-server next to the tests at \(binary.path); build all products")
            }
            process.executableURL = binary
            process.arguments = ["--config", config.path]
            process.standardError = output
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            var text = "", port: Int?
            let deadline = Date().addingTimeInterval(60)
            while port == nil && Date() < deadline && process.isRunning {
                text += String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
                if let line = text.split(separator: "\n").first(where: { $0.contains("listening on") }),
                   let colon = line.lastIndex(of: ":") {
                    port = Int(line[line.index(after: colon)...].prefix { $0.isNumber })
                }
            }
            guard let port else { process.terminate(); throw TestHTTPClient.Failure(description: "server did not start: \(text)") }
            self.port = port
            for _ in 0..<600 {   // until the database is open and every route is served
                if (try? TestHTTPClient.send(port: port, "GET", "/v1/listening-tests"))?.status == 200 { break }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }

        func kill() {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    @Test func acknowledgedRatingsSurviveSIGKILL() throws {
        let folder = TestServer.temporaryDirectory("durability")
        let config = folder.appendingPathComponent("server.json")
        let settings: [String: Any] = ["host": "127.0.0.1", "port": 0, "admin_api_key": ListeningTestTests.admin,
                                       "limits": ["max_body_bytes": 32 << 20], "models": [],
                                       "listening_database": folder.appendingPathComponent("listening.sqlite").path,
                                       "voices_dir": folder.appendingPathComponent("voices").path,
                                       "builtin_voices_dir": TestServer.packageRoot.appendingPathComponent("voices/builtin").path,
                                       "public_dir": TestServer.packageRoot.appendingPathComponent("public").path]
        try JSONSerialization.data(withJSONObject: settings).write(to: config)
        let first = try ServerProcess(config: config)
        defer { if first.process.isRunning { first.kill() } }
        let id = try ListeningTestTests.create(first.port, ListeningTestTests.uploadedTest(items: 60, kind: "naturalness"))
        /// Rating ids the server answered 201 for, from every thread.
        final class Acknowledged: @unchecked Sendable {
            private let lock = NSLock()
            private var ids: [Int] = []
            func add(_ id: Int) { lock.lock(); ids.append(id); lock.unlock() }
            var all: [Int] { lock.lock(); defer { lock.unlock() }; return ids }
        }
        let acknowledged = Acknowledged()
        let threads = 4
        let group = DispatchGroup()
        for t in 0..<threads {
            group.enter()
            Thread {
                defer { group.leave() }
                for i in 0..<1000 {
                    let listener = "l\(t)-\(i % 7)"
                    guard let shown = try? ListeningTestTests.post(first.port, "/v1/listening-tests/\(id)/next", ["listener": listener]).json,
                          let presentation = shown["presentation"] as? String,
                          let reply = try? ListeningTestTests.post(first.port, "/v1/listening-tests/\(id)/ratings",
                                                                   ["listener": listener, "presentation": presentation, "score": i % 5 - 2])
                    else { return }   // the server is gone
                    if reply.status == 201, let rating = reply.json?["rating"] as? Int {
                        acknowledged.add(rating)
                    }
                }
            }.start()
        }
        // Kill once a good number of ratings are in, with submissions still in flight.
        for _ in 0..<600 {
            if acknowledged.all.count >= 60 { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        first.kill()
        group.wait()
        let acked = Set(acknowledged.all)
        #expect(acked.count >= 60)

        let second = try ServerProcess(config: config)
        defer { second.process.terminate(); second.process.waitUntilExit() }
        let export = try TestHTTPClient.send(port: second.port, "GET", "/v1/listening-tests/\(id)/export?format=json",
                                             headers: ListeningTestTests.auth)
        let stored = Set(((try JSONSerialization.jsonObject(with: Data(export.body)) as? [[String: Any]]) ?? []).compactMap { $0["rating"] as? Int })
        #expect(acked.isSubset(of: stored), "lost \(acked.subtracting(stored).count) of \(acked.count) acknowledged ratings")
        print("durability: \(acked.count) ratings acknowledged before SIGKILL, \(stored.count) stored after restart, none lost: \(acked.isSubset(of: stored))")
        // The database still takes ratings after the crash.
        let shown = try #require(try ListeningTestTests.post(second.port, "/v1/listening-tests/\(id)/next", ["listener": "after"]).json)
        #expect(try ListeningTestTests.post(second.port, "/v1/listening-tests/\(id)/ratings",
                                            ["listener": "after", "presentation": shown["presentation"] as! String, "score": 1]).status == 201)
    }
}
