import Foundation
import Synchronization

/// Helper threads for work too small for a dispatch queue: the products of sampling, tens of
/// microseconds each, hundreds per token. A dispatch hand-off costs ~10 µs and lands the part
/// on whichever thread is free; here helper h always takes part h + 1 (the caller part 0), so
/// a weight's slice tends to stay in the same core's cache from one diffusion step to the next,
/// and the hand-off is one atomic store that spinning helpers see at once.
///
/// Helpers spin for a while after each job (sampling issues the next within microseconds), then
/// sleep on a condition so an idle server or a process beside it gets the core back. One job
/// at a time: a caller that finds the workers busy (another thread's job) runs its parts itself.
public final class SpinningWorkers: @unchecked Sendable {
    public static let shared = SpinningWorkers(helpers: Parallel.workers - 1)

    /// Threads besides the caller; a job has at most `helpers + 1` parts.
    public let helpers: Int
    /// The latest job as one word, `number << 8 | parts`, published after `body` is written.
    private let published = Atomic<Int>(0)
    private let pending = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let sleep = NSCondition()
    private var sleepers = 0
    /// The latest job's closure. Only its parts' helpers read it, and the next job cannot
    /// replace it before they have all finished.
    private var body: UnsafeRawPointer?

    /// How long a helper spins for the next job before sleeping.
    private static let spinSeconds = 2e-4

    init(helpers: Int) {
        self.helpers = max(0, helpers)
        for h in 0..<self.helpers {
            let thread = Thread { [unowned self] in self.helperLoop(part: h + 1) }
            thread.name = "vgpo-spin-\(h + 1)"
            thread.start()
        }
    }

    /// Runs `body(p)` for p in 0..<parts (parts ≤ helpers + 1), part 0 on the calling thread,
    /// and returns when all have finished.
    public func run(parts: Int, _ body: (Int) -> Void) {
        precondition(parts <= helpers + 1 && parts < 256, "\(parts) parts for \(helpers + 1) threads")
        guard parts > 1, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for p in 0..<parts { body(p) }
            return
        }
        withoutActuallyEscaping(body) { escaping in
            withUnsafePointer(to: escaping) { pointer in
                self.body = UnsafeRawPointer(pointer)
                pending.store(parts - 1, ordering: .relaxed)
                sleep.lock()
                published.store((published.load(ordering: .relaxed) >> 8 + 1) << 8 | parts, ordering: .releasing)
                if sleepers > 0 { sleep.broadcast() }
                sleep.unlock()
                body(0)
                // A helper that lost its core to another thread (the server's vocoders) needs it
                // back to finish: after a short spin the caller yields on every check.
                var spins = 0
                while pending.load(ordering: .acquiring) > 0 {
                    spins += 1
                    if spins > 256 { sched_yield() }
                }
            }
        }
        busy.store(false, ordering: .releasing)
    }

    private func helperLoop(part: Int) {
        var seen = 0
        while true {
            let spinEnd = ProcessInfo.processInfo.systemUptime + Self.spinSeconds
            var spins = 0
            while published.load(ordering: .acquiring) == seen {
                spins += 1
                guard spins & 255 == 0 else { continue }
                // Other runnable threads get the core between checks; none waiting, this returns at once.
                sched_yield()
                guard ProcessInfo.processInfo.systemUptime > spinEnd else { continue }
                sleep.lock()
                sleepers += 1
                while published.load(ordering: .acquiring) == seen { sleep.wait() }
                sleepers -= 1
                sleep.unlock()
            }
            // A helper that missed a job was not one of its parts (the caller waits for those).
            seen = published.load(ordering: .acquiring)
            guard part < seen & 0xFF, let body else { continue }
            body.assumingMemoryBound(to: ((Int) -> Void).self).pointee(part)
            pending.subtract(1, ordering: .releasing)
        }
    }
}
