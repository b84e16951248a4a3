import ARDM
import Foundation

/// The one owner of inference (STYLE, "Servers"): HTTP threads submit jobs and wait; a single
/// worker thread takes the oldest waiting job plus every other waiting job that can share its
/// batch (same model, same sampling options, same guidance), up to `maxBatch`, and runs them in
/// one batched sampler call. The queue of waiting jobs is bounded: a full queue answers 503 with
/// Retry-After.
///
/// Batches are formed per call, not token by token: a request that arrives while a batch runs
/// waits for the next one (true continuous batching needs a sampler that admits sequences
/// between tokens).
public final class SynthesisScheduler: @unchecked Sendable {
    public let maxBatch: Int
    public let queueLength: Int
    let metrics: ServerMetrics

    private let condition = NSCondition()
    private var waiting: [SynthesisJob] = []
    private var running = 0
    private var stopping = false
    private var worker: Thread?
    /// Duration of the last batch, the basis of the Retry-After estimate.
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
            // Jobs still waiting leave the queue; ones already in a batch finish there and their
            // results are dropped.
            condition.lock()
            waiting.removeAll { queued in jobs.contains { $0 === queued } }
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

    private func runWorker() {
        var batchNumber = 0
        while let batch = nextBatch() {
            batchNumber += 1
            let started = ProcessInfo.processInfo.systemUptime
            let results = batch[0].model.generate(batch.map(\.request), options: batch[0].options,
                                                  guidance: batch[0].guidance)
            let seconds = ProcessInfo.processInfo.systemUptime - started
            condition.lock()
            running = 0
            lastBatchSeconds = seconds
            condition.unlock()
            metrics.recordBatch(size: batch.count)
            for (job, result) in zip(batch, results) {
                job.finish(.success(GeneratedSpeech(result: result, batchSeconds: seconds, batchSize: batch.count,
                                                    batchNumber: batchNumber)))
            }
        }
    }

    /// Blocks until there is work; nil once shutting down with nothing left.
    private func nextBatch() -> [SynthesisJob]? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty && !stopping { condition.wait() }
        guard !waiting.isEmpty else { return nil }
        let leader = waiting[0]
        var batch: [SynthesisJob] = []
        var rest: [SynthesisJob] = []
        for job in waiting {
            if batch.count < maxBatch && job.canShareBatch(with: leader) { batch.append(job) } else { rest.append(job) }
        }
        waiting = rest
        running = batch.count
        return batch
    }

    /// Seconds a refused client should wait: about one batch, at least 1, at most 60 (call locked).
    private func retryAfterSeconds() -> Int {
        min(60, max(1, Int(lastBatchSeconds.rounded(.up))))
    }
}
