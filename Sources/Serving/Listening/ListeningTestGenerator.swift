import Audio
import Dispatch
import Foundation

/// Generates the audio of listening tests in the background, one test at a time, through the
/// same path as `/v1/tts` (the scheduler batches its jobs with live requests). Each clip is
/// committed as it is made, so a restart resumes with the missing clips; the pairs appear
/// only when every clip is there. A failure marks the test failed with the reason.
final class ListeningTestGenerator: @unchecked Sendable {
    let store: ListeningTestStore
    let speech: SpeechService
    let limits: ServerConfig.Limits
    private let queue = DispatchQueue(label: "vgpo.listening-generator")
    private let lock = NSLock()
    private var stopping = false

    init(store: ListeningTestStore, speech: SpeechService, limits: ServerConfig.Limits) {
        self.store = store; self.speech = speech; self.limits = limits
    }

    /// One synthesis through the shared path; a full queue (503) is waited out, not a failure.
    private func synthesizeRetrying(text: String, prompt: SpeechService.Prompt, system: ListeningSystem,
                                    parameters: SynthesisParameters, guidance: GuidanceRequest?,
                                    candidates: Int) throws -> SpeechService.Synthesis {
        while true {
            do {
                return try speech.synthesize(text: text, prompt: prompt, modelName: system.model, parameters: parameters,
                                             guidance: guidance, candidates: candidates)
            } catch let error as APIError where error.status == 503 && !isStopping {
                Thread.sleep(forTimeInterval: 1)
            }
        }
    }

    /// Queues a test for generation.
    func enqueue(_ test: String) {
        queue.async { [self] in generate(test) }
    }

    /// Queues every test a previous run left generating.
    func resumeUnfinished() throws {
        for test in try store.generatingTests() { enqueue(test) }
    }

    /// Stops after the clip in progress (shutdown); what is committed stays.
    func stop() {
        lock.lock(); stopping = true; lock.unlock()
    }

    private var isStopping: Bool { lock.lock(); defer { lock.unlock() }; return stopping }

    private func generate(_ test: String) {
        do {
            let summary = try store.summary(id: test)
            guard summary.status == .generating else { return }
            for clip in try store.missingClips(test: test) {
                if isStopping { return }
                let system = clip.system == "A" ? summary.systemA : summary.systemB
                let seed = (system.seed ?? 1) &+ UInt64(clip.item) &* 1009 &+ UInt64(clip.sample)
                let parameters = try SynthesisParameters(seed: seed, steps: nil, cfg: nil, temperature: nil, maxSeconds: nil,
                                                         limits: limits)
                let guidance = try system.valueModel.map { try GuidanceRequest(valueModel: $0, scale: system.scale ?? 0) }
                let prompt = try clip.voice.map { try speech.storedPrompt(id: $0) }
                    ?? speech.prompt(voice: nil, promptAudio: nil, promptText: nil)
                let rewards = speech.models.rewards
                let bestOf = try system.bestOfK(rewards: rewards, limit: limits.maxBestOf, field: clip.system == "A" ? "system_a" : "system_b")
                let synthesis = try synthesizeRetrying(text: clip.text, prompt: prompt, system: system, parameters: parameters,
                                                       guidance: guidance, candidates: bestOf?.k ?? 1)
                var chosen = 0
                if let bestOf {
                    chosen = try ScoredCandidates(synthesis.clips.map(\.waveform.samples), text: clip.text, promptAudio: prompt.audio,
                                                  rewards: rewards, bestOf: bestOf).chosen
                }
                let wav = try AudioEncoder.wavBytes(synthesis.clips[chosen].waveform, encoding: .pcm16)
                try store.addClip(test: test, item: clip.item, sample: clip.sample, system: clip.system, wav: wav)
            }
            try store.finishGeneration(test: test)
        } catch {
            let reason = (error as? APIError).map { "\($0.code): \($0.message)" } ?? "\(error)"
            try? store.fail(test: test, reason: reason)
        }
    }
}

/// The listening-test database and its generator, opened when the server loads its models
/// (opening can fail; the routes are built before). Routes are not served before that.
final class ListeningTests: @unchecked Sendable {
    private let lock = NSLock()
    private var opened: (store: ListeningTestStore, generator: ListeningTestGenerator)?

    /// Opens (or creates) the database and resumes tests a previous run left generating.
    func open(path: String, speech: SpeechService, limits: ServerConfig.Limits) throws {
        let store = try ListeningTestStore(path: path)
        let generator = ListeningTestGenerator(store: store, speech: speech, limits: limits)
        lock.lock(); opened = (store, generator); lock.unlock()
        try generator.resumeUnfinished()
    }

    func parts() throws -> (store: ListeningTestStore, generator: ListeningTestGenerator) {
        lock.lock(); defer { lock.unlock() }
        guard let opened else {
            throw APIError.unavailable("listening tests are not open yet", code: "loading", retryAfterSeconds: 5)
        }
        return opened
    }

    func stop() {
        lock.lock(); let generator = opened?.generator; lock.unlock()
        generator?.stop()
    }
}
