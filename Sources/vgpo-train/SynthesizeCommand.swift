import ARDM
import ArgumentParser
import Audio
import Corpus
import Foundation
import Guidance
import Rewards

/// `vgpo-train synthesize`: the researcher's way to hear a model.
struct SynthesizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthesize",
        abstract: "Synthesise a sentence with an ARDM in a prompt's voice and write a WAV.",
        discussion: """
            The prompt is a WAV with its transcript, or an utterance of a corpus. \
            Value guidance (Algorithm 2) adds λ·∇V of a value model to the score; best-of-K samples K \
            candidates (seeds seed … seed+K−1) and keeps the best by a reward; both may be combined.

            Example: vgpo-train synthesize --model models/base --text "Hello there." \\
                       --corpus data/corpus --prompt-utterance test-000012 --out hello.wav
                     vgpo-train synthesize ... --value-model models/value-f0v --scale 4 --best-of 8 --reward f0v
            """)

    @Option(help: "Model folder (model.safetensors + config.json), e.g. models/base or runs/base/checkpoint.") var model: String
    @Option(help: "Text to speak.") var text: String
    @Option(help: "Prompt audio file (any rate/format libsndfile reads).") var promptAudio: String?
    @Option(help: "Transcript of the prompt audio.") var promptText: String?
    @Option(help: "Corpus folder, to take the prompt from one of its utterances.") var corpus: String?
    @Option(help: "Corpus utterance id used as the prompt.") var promptUtterance: String?
    @Option(help: "Random seed (same seed, same output).") var seed: UInt64 = 1
    @Option(help: "Diffusion steps per token.") var steps = 16
    @Option(help: "LM guidance scale w.") var cfg: Float = 2
    @Option(help: "Noise temperature (1: the model's own distribution).") var temperature: Float = SamplingOptions.serving.temperature
    @Option(help: "LM guidance toward the prompt's voice, w_s (1: toward the text only; other than 1 and --cfg: a third sequence per request).")
    var voiceScale: Float = 1
    @Option(help: "Longest output, seconds.") var maxSeconds = 20.0
    @Option(help: "Value model folder for value-guided sampling.") var valueModel: String?
    @Option(help: "Guidance scale λ per unit of the value's reward (with --value-model).") var scale: Float = 1
    @Option(help: "Sample K candidates and keep the best by --reward.") var bestOf = 1
    @Option(help: "Reward(s) that rank best-of-K candidates, e.g. f0v or \"ctc_likelihood,sim:0.5\"; all rewards are printed.")
    var reward = "ctc_likelihood"
    @Option(help: "CTC recogniser folder (rewards).") var ctc = "models/ctc"
    @Option(help: "Speaker encoder folder (rewards).") var speaker = "models/speaker"
    @Option(help: "Move the audio toward the prompt's average spectrum by this fraction (0: as sampled).")
    var timbreMatch: Float = TimbreMatch.serving
    @Option(help: "Output WAV (16-bit PCM, 16 kHz).") var out: String

    func run() throws {
        guard bestOf >= 1 && bestOf <= 64 else { throw ValidationError("--best-of must be 1…64") }
        guard scale.isFinite else { throw ValidationError("--scale must be finite") }
        guard voiceScale.isFinite else { throw ValidationError("--voice-scale must be finite") }
        guard (0...1).contains(timbreMatch) else { throw ValidationError("--timbre-match must be within 0…1") }
        let options = SamplingOptions(steps: steps, cfg: cfg, temperature: temperature, voiceScale: voiceScale)
        let (ardm, _) = try ARDM.load(from: URL(fileURLWithPath: model))
        let synthesizer = GuidedSynthesizer(model: ardm, maxBatch: min(bestOf, 8), capacity: ARDMSampler.capacity(for: ardm),
                                            branches: options.guidanceBranches.count)
        let pipeline = synthesizer.pipeline
        let (audio, transcript) = try prompt()
        let request = try pipeline.request(text: text, promptText: transcript, promptAudio: audio, seed: seed, maxSeconds: maxSeconds)
        let guide = try valueModel.map { synthesizer.guide(value: try ValueModelFile.load(from: URL(fileURLWithPath: $0)), scale: scale) }
        let objective = try RewardObjective.parse(reward)
        let start = Date()
        let results = synthesizer.generate(BestOfK(k: bestOf, objective: objective).candidates(of: request),
                                           options: options, guidance: guide)
            .map { pipeline.timbreMatched($0, toPrompt: request.promptSpeech, strength: timbreMatch) }
        let seconds = Date().timeIntervalSince(start)
        var chosen = results[0], wave = pipeline.waveform(of: chosen)
        if bestOf > 1 {
            let scorer = CandidateScorer(rewards: try RewardCatalog(ctcModel: URL(fileURLWithPath: ctc), speakerModel: URL(fileURLWithPath: speaker))
                .make(objective.rewards))
            let target = try pipeline.phonemizer.ids(text)
            let scored = try scorer.score(results, inputs: results.map { _ in RewardInput(audio: [], phonemeIDs: target, promptAudio: audio) },
                                           pipeline: synthesizer.pipeline)
            let best = BestOfK(k: bestOf, objective: objective).best(scored.map(\.scores), directions: scorer.directions)
            for (i, s) in scored.enumerated() {
                let line = objective.rewards.map { String(format: "%@ %.4f", $0.rawValue, s.scores[$0]?.value ?? .nan) }.joined(separator: ", ")
                print("candidate \(i) (seed \(request.seed &+ UInt64(i))): \(line)\(i == best ? "  <- best" : "")")
            }
            chosen = scored[best].result; wave = scored[best].waveform
        }
        try AudioEncoder.writeWAV(wave, to: out, encoding: .pcm16)
        let duration = Double(chosen.tokenCount) * pipeline.secondsPerToken
        print(String(format: "wrote %@: %.2f s of audio, %d tokens, stopped by the stop head: %@, sampling %.2f s for %d candidate(s)%@",
                     out, duration, chosen.tokenCount, chosen.stopped ? "yes" : "no", seconds, bestOf,
                     guide.map { String(format: ", value-guided with λ = %g", $0.scale) } ?? ""))
    }

    func prompt() throws -> ([Float], String) {
        if let promptAudio {
            guard let promptText else { throw ValidationError("--prompt-audio needs --prompt-text (its transcript)") }
            return (try AudioDecoder.decode(path: promptAudio).samples, promptText)
        }
        guard let corpus, let promptUtterance else {
            throw ValidationError("give a prompt: --prompt-audio with --prompt-text, or --corpus with --prompt-utterance")
        }
        let store = try CorpusStore(path: corpus)
        guard let u = store.utterance(id: promptUtterance) else { throw ValidationError("no utterance \(promptUtterance) in \(corpus)") }
        return (try store.audio(for: u), u.text)
    }
}
