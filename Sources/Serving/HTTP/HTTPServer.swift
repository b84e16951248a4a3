import CMicroHTTPD
import Foundation

/// A small HTTP/1.1 server on libmicrohttpd that passes whole requests to an `HTTPHandler`.
///
/// Threading model: one thread per connection (`MHD_USE_THREAD_PER_CONNECTION` with an internal
/// polling thread that accepts). Handlers will block their thread while a scheduler runs their
/// job; with a thread per connection that stalls only that connection, so `/health` and other
/// quick routes stay responsive under load. The alternatives are worse for us: a fixed epoll
/// thread pool would freeze every connection sharing a blocked thread, and suspend/resume would
/// spread each request over callbacks and threads for no gain at our connection counts, which
/// `maxConnections` bounds (one thread each).
///
/// Lifecycle: `start()` binds and serves; `stop(gracePeriod:)` stops accepting, lets requests in
/// flight finish (up to the grace period), then closes everything. A stopped server stays stopped.
public final class HTTPServer: @unchecked Sendable {
    public struct Options: Sendable {
        /// Address to bind: an IP literal or a host name ("0.0.0.0", "::", "127.0.0.1", "localhost").
        public var host: String
        /// TCP port; 0 asks the kernel for a free one (read it back from `HTTPServer.port`).
        public var port: Int
        /// Simultaneous connections, hence threads; further ones are refused at accept.
        public var maxConnections: Int
        /// Seconds a connection may sit idle (no bytes either way) before it is closed.
        public var idleTimeoutSeconds: Int

        public init(host: String, port: Int, maxConnections: Int = 64, idleTimeoutSeconds: Int = 60) {
            self.host = host
            self.port = port
            self.maxConnections = maxConnections
            self.idleTimeoutSeconds = idleTimeoutSeconds
        }
    }

    public let options: Options
    let handler: HTTPHandler
    let inFlight = InFlightCounter()

    private let lock = NSLock()
    private var daemon: OpaquePointer?
    private var started = false
    private var draining = false
    /// Held while the daemon runs, because libmicrohttpd keeps an unretained pointer to us.
    private var retainedByDaemon: Unmanaged<HTTPServer>?
    private var boundPort = 0

    public init(options: Options, handler: HTTPHandler) {
        self.options = options
        self.handler = handler
    }

    deinit {
        // Only reachable when never started or already stopped: a running daemon retains us.
        precondition(daemon == nil, "HTTPServer deallocated while running")
    }

    /// The port being listened on (the kernel's choice when `options.port` is 0); 0 before start.
    public var port: Int {
        lock.lock()
        defer { lock.unlock() }
        return boundPort
    }

    /// True once `stop` has begun: responses then ask clients to close their connections.
    var isDraining: Bool {
        lock.lock()
        defer { lock.unlock() }
        return draining
    }

    /// Binds the address and starts serving on libmicrohttpd's threads. Returns once listening.
    public func start() throws {
        lock.lock()
        defer { lock.unlock() }
        guard !started else { throw HTTPServerError.alreadyStarted }
        let socket = try ListeningSocket.bind(host: options.host, port: options.port)

        let retained = Unmanaged.passRetained(self)
        let flags = MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_THREAD_PER_CONNECTION.rawValue
            | MHD_USE_POLL.rawValue  // poll, not select: no FD_SETSIZE ceiling on descriptor numbers
            | MHD_USE_ITC.rawValue  // required by MHD_quiesce_daemon, used by stop()
            | MHD_USE_ERROR_LOG.rawValue  // libmicrohttpd's own diagnostics go to stderr
        let completed: @convention(c) (
            UnsafeMutableRawPointer?, OpaquePointer?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
            MHD_RequestTerminationCode
        ) -> Void = requestCompletedTrampoline
        let optionList: [CVarArg] = [
            MHD_OPTION.LISTEN_SOCKET.rawValue, socket.descriptor,
            MHD_OPTION.CONNECTION_LIMIT.rawValue, UInt32(clamping: options.maxConnections),
            MHD_OPTION.CONNECTION_TIMEOUT.rawValue, UInt32(clamping: options.idleTimeoutSeconds),
            MHD_OPTION.NOTIFY_COMPLETED.rawValue, unsafeBitCast(completed, to: OpaquePointer.self),
            OpaquePointer(retained.toOpaque()),
            MHD_OPTION.END.rawValue,
        ]
        // MHD_start_daemon is C-variadic, which Swift cannot call; its va_list twin takes the same list.
        let newDaemon = withVaList(optionList) { arguments in
            MHD_start_daemon_va(flags, 0, nil, nil, accessHandlerTrampoline, retained.toOpaque(), arguments)
        }
        guard let newDaemon else {
            retained.release()
            close(socket.descriptor)
            throw HTTPServerError.daemonStartFailed(host: options.host, port: socket.port)
        }
        daemon = newDaemon
        retainedByDaemon = retained
        boundPort = socket.port
        self.started = true
    }

    /// Stops accepting connections, waits up to `gracePeriod` seconds for requests in flight to
    /// be answered, then closes all connections and joins libmicrohttpd's threads. Idempotent: a
    /// call while another stop is under way returns at once.
    public func stop(gracePeriod: TimeInterval = 10) {
        lock.lock()
        guard let running = daemon, !draining else {
            lock.unlock()
            return
        }
        draining = true
        lock.unlock()

        // Quiescing hands the listening socket back to us: closing it refuses new connections
        // while accepted ones carry on.
        let listener = MHD_quiesce_daemon(running)
        if listener >= 0 { close(listener) }
        inFlight.waitUntilZero(deadline: Date(timeIntervalSinceNow: gracePeriod))
        MHD_stop_daemon(running)

        lock.lock()
        daemon = nil
        let retained = retainedByDaemon
        retainedByDaemon = nil
        lock.unlock()
        withExtendedLifetime(self) { retained?.release() }
    }
}
