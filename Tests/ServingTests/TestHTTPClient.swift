import Foundation
import Glibc

/// A deliberately tiny HTTP/1.1 client over a raw socket, so tests control every byte sent
/// (bad framing, lying Content-Length, chunked bodies) and see every byte answered.
/// Each call opens one connection and reads until the server closes it.
enum TestHTTPClient {
    struct Reply {
        let status: Int
        let headers: [(name: String, value: String)]
        let body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        var text: String { String(decoding: body, as: UTF8.self) }

        /// The body parsed as a JSON object.
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }

        /// `error.code` of a JSON error body.
        var errorCode: String? { (json?["error"] as? [String: Any])?["code"] as? String }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Seconds a reply may take (see `connect`); tests of the real model pass longer ones.
    static let defaultReceiveTimeout = 10

    /// Sends a well-formed request with `Connection: close` and returns the reply.
    static func send(
        port: Int, _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = [],
        receiveTimeout: Int = defaultReceiveTimeout
    ) throws -> Reply {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        return try sendRaw(port: port, Array(head.utf8) + body, receiveTimeout: receiveTimeout)
    }

    /// Sends `bytes` exactly as given and returns the parsed reply.
    static func sendRaw(port: Int, _ bytes: [UInt8], receiveTimeout: Int = defaultReceiveTimeout) throws -> Reply {
        let fd = try connect(port: port, receiveTimeout: receiveTimeout)
        defer { close(fd) }
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            // The server may answer and close before reading everything (early 413): stop sending.
            if n <= 0 { break }
            sent += n
        }
        return try parse(readToEnd(fd))
    }

    /// A connected socket to 127.0.0.1:port, with a receive timeout so a broken server fails the
    /// test instead of hanging it.
    static func connect(port: Int, receiveTimeout: Int = defaultReceiveTimeout) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var timeout = timeval(tv_sec: receiveTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "connect to port \(port): \(reason)")
        }
        return fd
    }

    private static func readToEnd(_ fd: Int32) throws -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            if n < 0 {
                // A reset after a complete reply (server closed with unread input) still counts.
                if errno == ECONNRESET && !received.isEmpty { break }
                throw Failure(description: "recv: \(String(cString: strerror(errno)))")
            }
            received += buffer[0..<n]
        }
        return received
    }

    private static func parse(_ bytes: [UInt8]) throws -> Reply {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = (0...max(0, bytes.count - separator.count)).first(where: { Array(bytes[$0..<min($0 + 4, bytes.count)]) == separator })
        else { throw Failure(description: "no complete reply head in \(bytes.count) bytes: \(String(decoding: bytes, as: UTF8.self))") }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failure(description: "bad status line: \(lines[0])")
        }
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return Reply(status: status, headers: headers, body: Array(bytes[(end + 4)...]))
    }
}
