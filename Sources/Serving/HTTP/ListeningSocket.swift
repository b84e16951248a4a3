import Glibc  // Linux is the platform we serve from (DESIGN §3); sockets below use its spellings.

/// A bound, listening TCP socket that is handed to libmicrohttpd (`MHD_OPTION_LISTEN_SOCKET`).
///
/// We bind ourselves instead of letting libmicrohttpd do it so that a failure carries the
/// system's reason ("Address already in use"), host names and IPv6 literals resolve through
/// `getaddrinfo`, and the real port of an ephemeral bind (port 0) is read back with
/// `getsockname` (`MHD_get_daemon_info` is C-variadic and cannot be called from Swift).
struct ListeningSocket {
    let descriptor: Int32
    /// The port actually bound: the requested one, or the kernel's choice for port 0.
    let port: Int

    /// Connections waiting to be accepted before the kernel refuses new ones.
    static let backlog: Int32 = 128

    static func bind(host: String, port: Int) throws -> ListeningSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &results)
        guard status == 0, let first = results else {
            throw HTTPServerError.addressResolutionFailed(host: host, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(results) }

        // Try each address the name resolves to; report the last failure if none binds.
        var lastError: Int32 = 0
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.pointee.ai_protocol)
            if fd < 0 { lastError = errno; continue }
            // SO_REUSEADDR: a restarted server may rebind while old connections sit in TIME_WAIT.
            var on: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
            if Glibc.bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 || listen(fd, backlog) != 0 {
                lastError = errno
                close(fd)
                continue
            }
            // Non-blocking so that libmicrohttpd's accept never stalls on a vanished connection.
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            return ListeningSocket(descriptor: fd, port: boundPort(of: fd) ?? port)
        }
        throw HTTPServerError.bindFailed(host: host, port: port, reason: String(cString: strerror(lastError)))
    }

    /// The local port of a bound socket, IPv4 or IPv6.
    private static func boundPort(of fd: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
        default:
            return nil
        }
    }
}
