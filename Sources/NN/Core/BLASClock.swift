import Dispatch
import Synchronization

/// Time spent inside OpenBLAS, summed over threads, for benchmarks that report what fraction
/// of their CPU time BLAS takes. Off unless a benchmark turns it on: then every `cblas_*`
/// call of the engine is bracketed by two monotonic clock reads (tens of nanoseconds against
/// calls of microseconds and more).
public enum BLASClock {
    nonisolated(unsafe) public static var isEnabled = false
    static let nanoseconds = Atomic<Int>(0)

    /// Thread-seconds inside BLAS since the last `reset`.
    public static var seconds: Double { Double(nanoseconds.load(ordering: .relaxed)) / 1e9 }

    public static func reset() { nanoseconds.store(0, ordering: .relaxed) }

    /// Runs one BLAS call, timed when the clock is on.
    @inline(__always)
    static func timed(_ call: () -> Void) {
        guard isEnabled else { return call() }
        let start = DispatchTime.now().uptimeNanoseconds
        call()
        nanoseconds.add(Int(DispatchTime.now().uptimeNanoseconds - start), ordering: .relaxed)
    }
}
