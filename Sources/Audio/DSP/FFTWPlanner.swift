import CFFTW
import Foundation

/// FFTW's planner keeps process-wide state and is not thread-safe, while executing a finished
/// plan is; every plan creation and destruction goes through `serialized`.
///
/// Plans are made with FFTW_ESTIMATE: the algorithm is chosen by a fixed heuristic instead of
/// timing runs, so the same input gives the same bits on every run (seeded synthesis promises
/// byte-identical audio).
enum FFTWPlanner {
    private static let lock = NSLock()

    static func serialized<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
