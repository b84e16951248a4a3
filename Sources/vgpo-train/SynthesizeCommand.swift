import ARDM
import ArgumentParser
import Audio
import Corpus
import Foundation

/// `vgpo-train synthesize`: the researcher's way to hear a model.
struct SynthesizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthesize",
        abstract: "Synthesise a sentence with an ARDM in a prompt's voice and write a WAV.",
        discussion: """
            The prompt is a WAV with its transcript, or an utterance of a corpus.
            Example: vgpo-train synthesize --model models/base --text "Hello there." \\
                       --corpus data/corpus --prompt-utterance test-000012 --out hello.wav
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
    @Option(help: "Noise temperature.") var temperature: Float = 1
    @Option(help: "Longest output, seconds.") var maxSeconds = 20.0
    @Option(help: "Output WAV (16-bit PCM, 16 kHz).") var out: String

    func run() throws {
        let (ardm, _) = try ARDM.load(from: URL(fileURLWithPath: model))
        let pipeline = TTSPipeline(model: ardm)
        let (audio, transcript) = try prompt()
        let request = try pipeline.request(text: text, promptText: transcript, promptAudio: audio, seed: seed, maxSeconds: maxSeconds)
        let sampler = ARDMSampler(model: ardm, maxBatch: 1, capacity: request.textIDs.count + 2 + request.promptSpeech.count
                                  / ardm.config.tokenWidth + request.maxTokens + 2)
        let start = Date()
        let result = sampler.generate([request], options: SamplingOptions(steps: steps, cfg: cfg, temperature: temperature))[0]
        let seconds = Date().timeIntervalSince(start)
        let wave = pipeline.waveform(of: result)
        try AudioEncoder.writeWAV(wave, to: out, encoding: .pcm16)
        let duration = Double(result.tokenCount) * pipeline.secondsPerToken
        print(String(format: "wrote %@: %.2f s of audio, %d tokens, stopped by the stop head: %@, sampling %.2f s (RTF %.3f)",
                     out, duration, result.tokenCount, result.stopped ? "yes" : "no", seconds, seconds / max(duration, 1e-9)))
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
