import Glibc
import Synchronization

/// CPU time spent inside OpenBLAS, summed over threads, for benchmarks that report what
/// fraction of their CPU time BLAS takes. Off unless a benchmark turns it on: then every
/// `cblas_*` call of the engine is bracketed by two reads of the calling thread's CPU clock
/// (a fraction of a microsecond against calls of several microseconds and more). Thread CPU
/// time, not wall time, so that a thread preempted inside BLAS does not count its wait.
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
        let start = threadCPUNanoseconds()
        call()
        nanoseconds.add(threadCPUNanoseconds() - start, ordering: .relaxed)
    }

    static func threadCPUNanoseconds() -> Int {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return t.tv_sec * 1_000_000_000 + t.tv_nsec
    }
}
