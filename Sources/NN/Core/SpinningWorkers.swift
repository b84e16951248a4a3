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
    private let generation = Atomic<Int>(0)
    private let pending = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let sleep = NSCondition()
    private var sleepers = 0
    /// The current job; written before `generation` is bumped, read by helpers after they see it.
    private var job: (generation: Int, parts: Int, body: UnsafeRawPointer)?

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
        precondition(parts <= helpers + 1, "\(parts) parts for \(helpers + 1) threads")
        guard parts > 1, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for p in 0..<parts { body(p) }
            return
        }
        withoutActuallyEscaping(body) { escaping in
            withUnsafePointer(to: escaping) { pointer in
                pending.store(parts - 1, ordering: .relaxed)
                sleep.lock()
                job = (generation.load(ordering: .relaxed) + 1, parts, UnsafeRawPointer(pointer))
                generation.add(1, ordering: .releasing)
                if sleepers > 0 { sleep.broadcast() }
                sleep.unlock()
                body(0)
                while pending.load(ordering: .acquiring) > 0 {}
            }
        }
        job = nil
        busy.store(false, ordering: .releasing)
    }

    private func helperLoop(part: Int) {
        var seen = 0
        while true {
            let spinEnd = ProcessInfo.processInfo.systemUptime + Self.spinSeconds
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                guard spins & 1023 == 0, ProcessInfo.processInfo.systemUptime > spinEnd else { continue }
                sleep.lock()
                sleepers += 1
                while generation.load(ordering: .acquiring) == seen { sleep.wait() }
                sleepers -= 1
                sleep.unlock()
            }
            seen = generation.load(ordering: .acquiring)
            // A helper outside the job's parts may look late, at the next job: it skips, and the
            // changed generation sends it straight back for that one.
            guard let job, job.generation == seen, part < job.parts else { continue }
            job.body.assumingMemoryBound(to: ((Int) -> Void).self).pointee(part)
            pending.subtract(1, ordering: .releasing)
        }
    }
}
