import Foundation
import Testing
@testable import Serving

/// The transport on its own: ephemeral ports, stop, bind errors, draining in-flight requests.
@Suite struct HTTPServerLifecycleTests {
    /// Answers every request with 200 "done" after `delay`, signalling when it starts.
    final class SlowHandler: HTTPHandler, @unchecked Sendable {
        let delay: TimeInterval
        let started = DispatchSemaphore(value: 0)
        init(delay: TimeInterval) { self.delay = delay }
        func admit(_ head: Request) -> Admission { .accept(maxBodyBytes: 1024) }
        func respond(to request: Request) -> Response {
            started.signal()
            Thread.sleep(forTimeInterval: delay)
            return Response(status: 200, body: Array("done".utf8))
        }
        func respondToOversizedBody(_ head: Request, limit: Int) -> Response { Response(status: 413) }
    }

    @Test func twoServersOnPortZeroGetDistinctPortsAndStop() throws {
        let first = HTTPServer(options: .init(host: "127.0.0.1", port: 0), handler: SlowHandler(delay: 0))
        let second = HTTPServer(options: .init(host: "127.0.0.1", port: 0), handler: SlowHandler(delay: 0))
        try first.start()
        try second.start()
        #expect(first.port > 0)
        #expect(second.port > 0)
        #expect(first.port != second.port)
        #expect(try TestHTTPClient.send(port: first.port, "GET", "/").text == "done")
        #expect(try TestHTTPClient.send(port: second.port, "GET", "/").text == "done")
        first.stop(gracePeriod: 1)
        second.stop(gracePeriod: 1)
        second.stop(gracePeriod: 1)  // a second stop is a no-op
        #expect(throws: TestHTTPClient.Failure.self) { try TestHTTPClient.connect(port: first.port) }
    }

    @Test func bindingABusyPortFailsWithTheSystemReason() throws {
        let holder = HTTPServer(options: .init(host: "127.0.0.1", port: 0), handler: SlowHandler(delay: 0))
        try holder.start()
        defer { holder.stop(gracePeriod: 1) }
        let second = HTTPServer(options: .init(host: "127.0.0.1", port: holder.port), handler: SlowHandler(delay: 0))
        let error = #expect(throws: HTTPServerError.self) { try second.start() }
        #expect(error?.description.contains("Address already in use") == true)
    }

    @Test func unresolvableHostFailsClearly() throws {
        let server = HTTPServer(options: .init(host: "no-such-host.invalid", port: 0), handler: SlowHandler(delay: 0))
        let error = #expect(throws: HTTPServerError.self) { try server.start() }
        #expect(error?.description.contains("no-such-host.invalid") == true)
    }

    /// The server binds "::1" wherever the machine has an IPv6 loopback at all.
    @Test func ipv6LoopbackBinds() throws {
        guard Self.hasIPv6Loopback() else { return }
        let server = HTTPServer(options: .init(host: "::1", port: 0), handler: SlowHandler(delay: 0))
        try server.start()
        #expect(server.port > 0)
        server.stop(gracePeriod: 1)
    }

    /// Whether a plain socket can bind [::1] (a container without IPv6 cannot).
    static func hasIPv6Loopback() -> Bool {
        let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_addr = in6addr_loopback
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        } == 0
    }

    @Test func stopLetsTheRequestInFlightFinish() throws {
        let handler = SlowHandler(delay: 0.5)
        let server = HTTPServer(options: .init(host: "127.0.0.1", port: 0), handler: handler)
        try server.start()
        let port = server.port
        let replied = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var reply: TestHTTPClient.Reply?
        Thread.detachNewThread {
            reply = try? TestHTTPClient.send(port: port, "GET", "/slow")
            replied.signal()
        }
        #expect(handler.started.wait(timeout: .now() + 5) == .success)
        server.stop(gracePeriod: 5)
        #expect(replied.wait(timeout: .now() + 5) == .success)
        #expect(reply?.status == 200)
        #expect(reply?.text == "done")
        #expect(throws: TestHTTPClient.Failure.self) { try TestHTTPClient.connect(port: port) }
    }
}
