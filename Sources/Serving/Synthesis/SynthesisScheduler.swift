import ARDM
import Foundation

/// The one owner of inference (STYLE, "Servers"): HTTP threads submit jobs and wait; a single
/// worker thread samples them in a batch that jobs join and leave token by token (continuous
/// batching). The oldest waiting job opens a session (its model, sampling options and
/// guidance); before every token, waiting jobs that can share it join, in arrival order, up to
/// `maxBatch`, stopping at the first that cannot (it opens the next session once this one
/// drains, so nobody is overtaken for long); finished jobs leave at once, and jobs whose
/// requests timed out are dropped. The queue of waiting jobs is bounded: a full queue answers
/// 503 with Retry-After.
public final class SynthesisScheduler: @unchecked Sendable {
    public let maxBatch: Int
    public let queueLength: Int
    let metrics: ServerMetrics

    private let condition = NSCondition()
    private var waiting: [SynthesisJob] = []
    private var running = 0
    private var stopping = false
    private var worker: Thread?
    /// How long the last finished job sampled, the basis of the Retry-After estimate.
    private var lastBatchSeconds = 1.0

    public init(maxBatch: Int, queueLength: Int, metrics: ServerMetrics) {
        self.maxBatch = maxBatch
        self.queueLength = queueLength
        self.metrics = metrics
    }

    /// Starts the worker thread (once).
    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard worker == nil, !stopping else { return }
        let thread = Thread { [self] in runWorker() }
        thread.name = "vgpo-scheduler"
        worker = thread
        thread.start()
    }

    /// Jobs waiting for a batch, and jobs in the batch being sampled now.
    public var counts: (waiting: Int, running: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (waiting.count, running)
    }

    /// Queues `requests` as one job each, all at once (they need that many free queue slots), and
    /// blocks until every one is generated or `timeoutSeconds` pass. Jobs queued together with
    /// equal options and guidance are sampled in the same batch where `maxBatch` allows: the K
    /// candidates of best-of-K turn matrix-vector work into matrix-matrix work (DESIGN §12).
    /// Throws 503 (`queue_full`, `timeout`, `shutting_down`) with Retry-After.
    public func generate(_ requests: [SynthesisRequest], model: SpeechModel, options: SamplingOptions,
                         guidance: SynthesisGuidance?, timeoutSeconds: Double) throws -> [GeneratedSpeech] {
        let jobs = requests.map { SynthesisJob(model: model, request: $0, options: options, guidance: guidance) }
        let deadline = DispatchTime.now() + timeoutSeconds
        condition.lock()
        if stopping {
            condition.unlock()
            throw APIError.unavailable("the server is shutting down", code: "shutting_down", retryAfterSeconds: 1)
        }
        // An idle server takes any request, even one larger than the queue, so a best-of-K with
        // K above queue_length is slow rather than impossible.
        guard waiting.count + jobs.count <= queueLength || (running == 0 && waiting.isEmpty) else {
            let retryAfter = retryAfterSeconds()
            condition.unlock()
            let need = jobs.count == 1 ? "" : " (this request needs \(jobs.count) places)"
            throw APIError.unavailable("the synthesis queue is full (\(waiting.count) of \(queueLength) waiting\(need)); retry later",
                                       code: "queue_full", retryAfterSeconds: retryAfter)
        }
        waiting += jobs
        condition.signal()
        condition.unlock()

        for job in jobs where job.done.wait(timeout: deadline) == .timedOut {
            // Jobs still waiting leave the queue; ones in the batch are dropped at the next token.
            condition.lock()
            waiting.removeAll { queued in jobs.contains { $0 === queued } }
            for job in jobs { job.cancelled = true }
            let retryAfter = retryAfterSeconds()
            condition.unlock()
            throw APIError.unavailable("synthesis did not finish within \(Int(timeoutSeconds)) s",
                                       code: "timeout", retryAfterSeconds: retryAfter)
        }
        return try jobs.map { job in
            switch job.outcome! {
            case let .success(speech): return speech
            case let .failure(error): throw error
            }
        }
    }

    /// Stops taking jobs, fails the waiting ones with 503, and lets the running batch finish.
    public func shutdown() {
        condition.lock()
        stopping = true
        let abandoned = waiting
        waiting.removeAll()
        condition.broadcast()
        condition.unlock()
        for job in abandoned {
            job.finish(.failure(.unavailable("the server is shutting down", code: "shutting_down", retryAfterSeconds: 1)))
        }
    }

    // MARK: Worker

    /// The session being sampled and the jobs in its slots.
    private struct Batch {
        let number: Int
        let leader: SynthesisJob
        let session: SpeechSession
        var members: [Int: (job: SynthesisJob, joined: Double, largest: Int)] = [:]
    }

    private func runWorker() {
        var sessions = 0
        var batch: Batch?
        while true {
            guard let (joining, cancelled) = nextJoiners(&batch, sessions: &sessions) else { return }
            var current = batch!
            for slot in cancelled {
                current.session.cancel(slot: slot)
                current.members[slot] = nil
            }
            let now = ProcessInfo.processInfo.systemUptime
            for job in joining { current.members[current.session.admit(job.request)] = (job, now, 0) }
            let size = current.session.activeCount
            for slot in current.members.keys { current.members[slot]!.largest = max(current.members[slot]!.largest, size) }
            let finished = size > 0 ? current.session.step() : []
            let ended = ProcessInfo.processInfo.systemUptime
            for (slot, result) in finished {
                guard let member = current.members.removeValue(forKey: slot) else { continue }
                metrics.recordBatch(size: member.largest)
                member.job.finish(.success(GeneratedSpeech(result: result, batchSeconds: ended - member.joined,
                                                           batchSize: member.largest, batchNumber: current.number)))
                condition.lock(); lastBatchSeconds = ended - member.joined; condition.unlock()
            }
            batch = current.session.activeCount > 0 ? current : nil
            condition.lock(); running = batch?.session.activeCount ?? 0; condition.unlock()
        }
    }

    /// Under the lock: opens a session for the oldest waiting job when none runs (blocking until
    /// there is work), then takes the waiting jobs that join it now and the slots of members
    /// whose requests gave up. Nil once shutting down with nothing left.
    private func nextJoiners(_ batch: inout Batch?, sessions: inout Int) -> (joining: [SynthesisJob], cancelled: [Int])? {
        condition.lock()
        defer { condition.unlock() }
        if batch == nil {
            while waiting.isEmpty && !stopping { condition.wait() }
            guard let leader = waiting.first else { return nil }
            sessions += 1
            batch = Batch(number: sessions, leader: leader, session: leader.model.makeSession(options: leader.options, guidance: leader.guidance))
        }
        let cancelled = batch!.members.filter { $0.value.job.cancelled }.map(\.key)
        var room = maxBatch - (batch!.session.activeCount - cancelled.count)
        var joining: [SynthesisJob] = []
        while room > 0, let job = waiting.first, job.canShareBatch(with: batch!.leader) {
            joining.append(waiting.removeFirst())
            room -= 1
        }
        running = batch!.session.activeCount - cancelled.count + joining.count
        return (joining, cancelled)
    }

    /// Seconds a refused client should wait: about one batch, at least 1, at most 60 (call locked).
    private func retryAfterSeconds() -> Int {
        min(60, max(1, Int(lastBatchSeconds.rounded(.up))))
    }
}
