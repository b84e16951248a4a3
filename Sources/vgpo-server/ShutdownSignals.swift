import Dispatch
import Foundation

/// Turns SIGTERM and SIGINT (or an internal failure) into one shutdown request that the main
/// thread waits for. A second signal while draining exits at once, for the impatient Ctrl-C.
final class ShutdownSignals: @unchecked Sendable {
    struct Request {
        let reason: String
        let exitCode: Int32
    }

    private let lock = NSLock()
    private let requested = DispatchSemaphore(value: 0)
    private var first: Request?
    private var sources: [DispatchSourceSignal] = []

    init() {
        for signalNumber in [SIGTERM, SIGINT] {
            // Dispatch sources see the signal only once its default action (terminate) is off.
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            let name = signalNumber == SIGTERM ? "SIGTERM" : "SIGINT"
            source.setEventHandler { [weak self] in self?.request(reason: name, exitCode: 0) }
            source.resume()
            sources.append(source)
        }
    }

    /// Asks for shutdown; the first request wins, a later one exits immediately.
    func request(reason: String, exitCode: Int32) {
        lock.lock()
        let alreadyRequested = first != nil
        if !alreadyRequested { first = Request(reason: reason, exitCode: exitCode) }
        lock.unlock()
        if alreadyRequested {
            log("\(reason) again: exiting without waiting")
            exit(exitCode == 0 ? 1 : exitCode)
        }
        requested.signal()
    }

    /// Blocks until shutdown is requested.
    func wait() -> Request {
        requested.wait()
        lock.lock()
        defer { lock.unlock() }
        return first!
    }
}
