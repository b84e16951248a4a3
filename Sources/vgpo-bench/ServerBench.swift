import ArgumentParser
import Foundation
import Glibc
import Serving

/// Throughput of the whole server through HTTP (issue 7, must show 4): a `VGPOServer` in this
/// process on an ephemeral loopback port serves one model folder, and clients POST `/v1/tts`
/// (fixed short texts, fixed seeds, audio capped at `--max-seconds`): the same `--clients` ×
/// `--requests` requests are sent first by one client, one at a time, then by `--clients`
/// threads at once, `--requests` each, one after another. Throughput is generated
/// audio seconds (the `X-Audio-Seconds` of each reply) per wall second; the ratio of the two
/// runs is what batching across requests buys (target ≥ 3 at 8 clients).
struct ServerBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server", abstract: "Server audio-seconds per second with 1 and with N concurrent clients.")
    @Option(help: "Model folder served (kind ardm).") var model = "models/base"
    @Option(help: "Concurrent clients of the second run (also the server's batch size).") var clients = 8
    @Option(help: "Requests each client sends in each run.") var requests = 3
    @Option(help: "Longest audio per request, seconds.") var maxSeconds = 1.5
    @Option(help: "Diffusion steps per request; default: the server's.") var steps: Int?
    @Option(help: "Folder of the built-in voices (index.json and WAVs).") var voices = "voices/builtin"

    static let texts = ["Hello there.", "Good morning to you.", "See you soon.", "Thank you very much.",
                        "It is raining again.", "The bus is late.", "Please close the door.", "What a lovely day."]
    static let voiceIDs = ["slt", "rms", "awb", "kal"]

    /// One answered request: wall seconds, audio seconds, and the batch it was sampled in.
    struct Sample {
        let latency: Double
        let audioSeconds: Double
        let batchSize: Int
    }

    func run() throws {
        var config = ServerConfig()
        config.host = "127.0.0.1"
        config.port = 0
        config.models = [ModelSpec(name: "bench", kind: .ardm, path: model)]
        config.builtinVoicesDir = voices
        config.voicesDir = FileManager.default.temporaryDirectory.appendingPathComponent("vgpo-bench-voices-\(getpid())").path
        config.limits.maxConcurrentJobs = max(clients, 1)
        config.limits.queueLength = max(config.limits.queueLength, clients)
        let server = VGPOServer(config: config)
        try server.start()
        defer {
            server.stop(gracePeriod: 5)
            try? FileManager.default.removeItem(atPath: config.voicesDir)
        }
        try server.loadModels()

        _ = try post(port: server.port, body: body(client: 99, request: 0))  // warm-up: first-use allocations
        // Client c's bodies; the single client sends all of them, in client order.
        let bodies = (0..<clients).map { c in (0..<requests).map { body(client: c, request: $0) } }
        let single = try measure(port: server.port, bodies: [bodies.flatMap { $0 }])
        let loaded = try measure(port: server.port, bodies: bodies)
        let n = "\(clients)_clients"
        printJSONLine([
            "bench": "server", "model": model, "requests_per_run": clients * requests, "max_seconds": maxSeconds,
            "audio_s_per_s_1_client": rounded(single.throughput), "audio_s_per_s_\(n)": rounded(loaded.throughput),
            "ratio_\(clients)_over_1": rounded(loaded.throughput / single.throughput, 2),
            "p50_ms_1_client": rounded(single.percentile(0.5) * 1000, 0), "p99_ms_1_client": rounded(single.percentile(0.99) * 1000, 0),
            "p50_ms_\(n)": rounded(loaded.percentile(0.5) * 1000, 0), "p99_ms_\(n)": rounded(loaded.percentile(0.99) * 1000, 0),
            "mean_batch_\(n)": rounded(loaded.meanBatch, 2), "audio_s_per_request": rounded(loaded.meanAudioSeconds),
        ])
    }

    struct Run {
        let samples: [Sample]
        let wallSeconds: Double

        var throughput: Double { samples.reduce(0) { $0 + $1.audioSeconds } / wallSeconds }
        var meanBatch: Double { Double(samples.reduce(0) { $0 + $1.batchSize }) / Double(samples.count) }
        var meanAudioSeconds: Double { samples.reduce(0) { $0 + $1.audioSeconds } / Double(samples.count) }

        /// Nearest-rank percentile of the latencies, `p` in (0, 1].
        func percentile(_ p: Double) -> Double {
            let sorted = samples.map(\.latency).sorted()
            return sorted[min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))]
        }
    }

    /// What the client threads of one run collect.
    final class Collector: @unchecked Sendable {
        private let lock = NSLock()
        private var samples: [Sample] = []
        private var failure: Error?

        func add(_ sample: Sample) { lock.lock(); samples.append(sample); lock.unlock() }
        func fail(_ error: Error) { lock.lock(); failure = error; lock.unlock() }

        func result() throws -> [Sample] {
            lock.lock()
            defer { lock.unlock() }
            if let failure { throw failure }
            return samples
        }
    }

    /// One thread per element of `bodies`, each sending its bodies one after another; all must be 200.
    func measure(port: Int, bodies: [[String]]) throws -> Run {
        let collector = Collector()
        let group = DispatchGroup()
        let started = now()
        for clientBodies in bodies {
            group.enter()
            // Plain threads: each blocks in socket calls, which must not starve a small pool.
            Thread {
                defer { group.leave() }
                do {
                    for body in clientBodies { collector.add(try post(port: port, body: body)) }
                } catch {
                    collector.fail(error)
                }
            }.start()
        }
        group.wait()
        let wall = now() - started
        return Run(samples: try collector.result(), wallSeconds: wall)
    }

    /// Client `client`'s request number `request`: its text, voice and seed depend on nothing else.
    func body(client: Int, request: Int) -> String {
        let text = Self.texts[(client + request) % Self.texts.count]
        let voice = Self.voiceIDs[client % Self.voiceIDs.count]
        let steps = self.steps.map { #","steps":\#($0)"# } ?? ""
        return #"{"text":"\#(text)","voice":"\#(voice)","seed":\#(client * 1000 + request + 1),"max_seconds":\#(maxSeconds)\#(steps)}"#
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// POSTs `body` to `/v1/tts` on a fresh connection and reads the reply to its end.
    func post(port: Int, body: String) throws -> Sample {
        let started = now()
        let payload = Array(body.utf8)
        let head = "POST /v1/tts HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(payload.count)\r\n\r\n"
        let reply = try exchange(port: port, Array(head.utf8) + payload)
        guard let end = reply.indices.dropLast(3).first(where: { reply[$0..<($0 + 4)].elementsEqual("\r\n\r\n".utf8) }) else {
            throw Failure(description: "incomplete reply of \(reply.count) bytes")
        }
        let lines = String(decoding: reply[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        func header(_ name: String) -> String? {
            lines.dropFirst().first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
                .map { $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces) }
        }
        guard lines[0].split(separator: " ").dropFirst().first == "200", let seconds = header("X-Audio-Seconds").flatMap(Double.init) else {
            throw Failure(description: "\(lines[0]): \(String(decoding: reply[(end + 4)...].prefix(300), as: UTF8.self))")
        }
        return Sample(latency: now() - started, audioSeconds: seconds, batchSize: header("X-Batch-Size").flatMap(Int.init) ?? 1)
    }

    /// Sends `bytes` to 127.0.0.1:`port` and returns everything answered until the server closes.
    func exchange(port: Int, _ bytes: [UInt8]) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect: \(String(cString: strerror(errno)))") }
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send: \(String(cString: strerror(errno)))") }
            sent += n
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return received }
            guard n > 0 else { throw Failure(description: "recv: \(String(cString: strerror(errno)))") }
            received += buffer[0..<n]
        }
    }
}
