import Dispatch
import Foundation

/// Work splitting across the machine's cores for the non-GEMM parts of a step (pointwise
/// layers, norms, the per-head attention loop). OpenBLAS runs single-threaded: `matmul` splits
/// large products over these workers itself, and few-row products go to `SpinningWorkers`.
public enum Parallel {
    /// Threads used; set once at start-up (tests may set 1 to compare with serial runs).
    nonisolated(unsafe) public static var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls `body` on disjoint ranges covering 0..<count, concurrently when the work is large
    /// enough to pay for the dispatch (~10 µs): below `grain` items per worker it runs inline.
    @inline(__always)
    public static func forRanges(_ count: Int, grain: Int, _ body: (Range<Int>) -> Void) {
        let chunks = min(workers, count / max(grain, 1))
        if chunks <= 1 { body(0..<count); return }
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            body((c * count / chunks)..<((c + 1) * count / chunks))
        }
    }

    /// Calls `body(p)` for p in 0..<parts, concurrently when parts > 1.
    @inline(__always)
    public static func forEach(_ parts: Int, _ body: (Int) -> Void) {
        if parts <= 1 { body(0); return }
        DispatchQueue.concurrentPerform(iterations: parts, execute: body)
    }

    /// Runs independent iterations 0..<count (e.g. attention heads) spread over the workers;
    /// `body` gets the iteration and its worker's index (to pick that worker's scratch).
    public static func forEachItem(_ count: Int, _ body: (_ item: Int, _ worker: Int) -> Void) {
        let chunks = min(workers, count)
        forEach(chunks) { c in
            for i in (c * count / chunks)..<((c + 1) * count / chunks) { body(i, c) }
        }
    }

    /// OpenBLAS is kept single-threaded: `matmul` splits large products over the workers
    /// itself, so OpenBLAS's spinning pool never competes with them for the cores.
    private static let serialBLAS: Void = setBLASThreads(1)
    @inline(__always) static func useSerialBLAS() { _ = serialBLAS }
}
