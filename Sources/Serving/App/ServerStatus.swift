import Foundation

/// Where the server is in its life, shared by the gateway (which routes answer) and `/health`.
public final class ServerStatus: @unchecked Sendable {
    public enum Phase: String, Sendable {
        /// Listening, models not loaded yet: only `/health` answers, others get 503.
        case loading
        case ready
        /// Draining before exit: in-flight requests finish, new ones get 503.
        case stopping
    }

    private let lock = NSLock()
    private var current: Phase = .loading
    /// Monotonic clock at creation: uptime must not jump with wall-clock changes.
    private let startedAt = ProcessInfo.processInfo.systemUptime

    public init() {}

    public var phase: Phase {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    public func enter(_ phase: Phase) {
        lock.lock()
        current = phase
        lock.unlock()
    }

    /// Seconds since this status was created (the server's start).
    public var uptimeSeconds: Double { ProcessInfo.processInfo.systemUptime - startedAt }
}
