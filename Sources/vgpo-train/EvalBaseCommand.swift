import ARDM
import ArgumentParser
import Audio
import Corpus
import Foundation
import NN
import Rewards
import Training

/// `vgpo-train eval-base`: intelligibility, termination, duration and speaker similarity of a
/// base ARDM on held-out sentences (issue 10, must show 1-3; `--split train` for sentences it
/// trained on). For each such utterance of a seen voice, with another utterance of that voice
/// as the prompt, it measures the phoneme error rate (CTC recogniser, greedy) of: the corpus
/// audio; the corpus mel through Griffin-Lim (the floor any mel model meets with this vocoder);
/// teacher-forced sampling (true previous tokens, so acoustics alone); and free-running
/// synthesis (alignment and stop too). Unseen voices give
/// the zero-shot similarity: SIM(prompt, output) against SIM(prompt, another real utterance).
struct EvalBaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-base",
        abstract: "Measure a base ARDM: PER (free-running, teacher-forced, vocoder floor), stops, durations, SIM.",
        discussion: "Example: vgpo-train eval-base --model runs/base/checkpoint --ctc models/ctc --speaker models/speaker --count 100")

    @Option(help: "Model folder.") var model: String
    @Option(help: "CTC recogniser folder.") var ctc: String
    @Option(help: "Speaker encoder folder (zero-shot SIM on unseen voices; optional).") var speaker: String?
    @Option(help: "Corpus folder.") var corpus = "data/corpus"
    @Option(help: "Utterances of seen voices to synthesise, from --split (0: SIM only).") var count = 100
    @Option(help: "The corpus split whose sentences are synthesised: test (unseen sentences), or train or validation (to tell what the model learned by heart from what it generalises).")
    var split: CorpusSplit = .test
    @Option(help: "Only utterances of these engines, comma-separated (espeak, flite, festival; default: all).")
    var engines: String?
    @Option(help: "Test utterances of unseen voices for SIM.") var unseenCount = 40
    @Option(help: "Utterances of an unseen voice joined into its prompt (SIM is still measured against the first).")
    var promptUtterances = 1
    @Option(help: "Diffusion steps.") var steps = 16
    @Option(help: "LM guidance scale w.") var cfg: Float = 2
    @Option(help: "Noise temperature of free-running and teacher-forced sampling.") var temperature: Float = 1
    @Option(help: "LM guidance toward the prompt's voice, w_s (1: toward the text only; other than 1 and --cfg: a third sequence per request).")
    var voiceScale: Float = 1
    @Option(help: "Std of the noise on generated tokens the LM reads back (sampling-time history noise; 0: off).")
    var historyNoise: Float = 0
    @Option(help: "Shift generated mel toward the prompt's average spectrum by this fraction (TimbreMatch; 0: off).")
    var timbreMatch: Float = 0
    @Option(help: "Seed for prompts and sampling.") var seed: UInt64 = 1
    @Option(help: "Write the report (JSON) here as well as printing it.") var out: String?

    func validate() throws {
        guard promptUtterances >= 1 else { throw ValidationError("--prompt-utterances must be at least 1") }
    }

    func run() throws {
        let (ardm, _) = try ARDM.load(from: URL(fileURLWithPath: model))
        let recognizer = try CTCRecognizer.load(from: URL(fileURLWithPath: ctc))
        let store = try CorpusStore(path: corpus)
        let pipeline = TTSPipeline(model: ardm)
        let labels = PhonemeLabels()
        let options = SamplingOptions(steps: steps, cfg: cfg, temperature: temperature, voiceScale: voiceScale,
                                      historyNoise: historyNoise)
        var rng = RNG(seed: seed)
        let trainByVoice = Dictionary(grouping: store.utterances(split: .train), by: \.voice)
        var tests = store.utterances(split: split, seenVoices: true)
        rng.shuffle(&tests)
        if let engines {
            let wanted = try engines.split(separator: ",").map { name in
                guard let engine = Engine(rawValue: String(name)) else { throw ValidationError("unknown engine '\(name)'") }
                return engine
            }
            tests = tests.filter { wanted.contains($0.engine) }
        }
        tests = Array(tests.prefix(count))

        var raw = ErrorRate(), vocoded = EngineErrorRates(), teacher = EngineErrorRates(), free = EngineErrorRates()
        var stopped = 0, durationOK = 0
        // SIM on the seen voices too: against the unseen voices' ratio it tells a voice the model
        // cannot copy at all from one it never learned.
        let encoder = try speaker.map { try SpeakerEncoder.load(from: URL(fileURLWithPath: $0)) }
        var seenSimilarity = Similarities()
        var ratios: [Double] = []
        // Per utterance, with what the recogniser heard, so that a researcher can tell skipped
        // words from mumbled ones (scripts/phoneme-errors.py) and find the sentences worth hearing.
        var details: [[String: Any]] = []
        let bar = ProgressLine(total: tests.count, interval: 10)
        for (k, target) in tests.enumerated() {
            // A train sentence never prompts itself.
            guard let candidates = trainByVoice[target.voice]?.filter({ $0.id != target.id }), !candidates.isEmpty else { continue }
            let prompt = candidates[rng.int(below: candidates.count)]
            let reference = labels.labels(fromTokenIDs: target.phonemeIDs)
            func heard(_ samples: [Float]) -> [Int32] {
                recognizer.recognize([recognizer.logMel(ofAudio: samples)])[0].greedyLabels()
            }
            func spelled(_ phonemes: [Int32]) -> String { labels.symbols(phonemes).joined(separator: " ") }
            func rate(of hypothesis: [Int32]) -> ErrorRate {
                var rate = ErrorRate()
                rate.add(hypothesis: hypothesis, reference: reference)
                return rate
            }
            let promptAudio = try store.audio(for: prompt), targetAudio = try store.audio(for: target)
            raw.add(rate(of: heard(targetAudio)))
            let targetMel = try store.logMel(for: target)
            let heardVocoded = heard(pipeline.vocoder.synthesize(targetMel).samples), vocodedRate = rate(of: heardVocoded)
            vocoded.add(vocodedRate, engine: target.engine)
            // Teacher-forced: the prompt and the true target tokens as context.
            let statistics = ardm.melStatistics
            let promptTokens = SpeechTokens.tokens(logMel: try store.mel(for: prompt), melBins: ardm.config.melBins,
                                                   patchFrames: ardm.config.patchFrames, statistics: statistics)
            let targetTokens = SpeechTokens.tokens(logMel: targetMel.values, melBins: ardm.config.melBins,
                                                   patchFrames: ardm.config.patchFrames, statistics: statistics)
            let example = ARDMExample(textIDs: prompt.phonemeIDs + target.phonemeIDs, speech: promptTokens + targetTokens,
                                      auxiliaryTargets: [], promptTextCount: prompt.phonemeIDs.count,
                                      promptTokenCount: promptTokens.count / ardm.config.tokenWidth)
            let forced = ardm.teacherForcedSample(example, options: options, seed: seed &+ UInt64(k))
            let forcedResult = SynthesisResult(tokens: forced, tokenCount: forced.count / ardm.config.tokenWidth, stopped: true)
            let heardForced = heard(served(forcedResult, prompt: promptTokens, pipeline)), forcedRate = rate(of: heardForced)
            teacher.add(forcedRate, engine: target.engine)
            // Free-running, up to twice the true duration.
            let request = try pipeline.request(text: target.text, promptText: prompt.text, promptAudio: promptAudio,
                                               seed: seed &+ UInt64(k), maxSeconds: 2 * target.duration + 1)
            let result = Self.generateAlone(request, model: ardm, options: options)
            let outputAudio = served(result, prompt: request.promptSpeech, pipeline)
            let generated = heard(outputAudio), freeRate = rate(of: generated)
            free.add(freeRate, engine: target.engine)
            if result.stopped { stopped += 1 }
            let ratio = Double(result.tokenCount) * pipeline.secondsPerToken / target.duration
            ratios.append(ratio)
            if abs(ratio - 1) <= 0.25 { durationOK += 1 }
            var detail: [String: Any] = [
                "id": target.id, "engine": target.engine.rawValue, "per_free_running": freeRate.rate,
                "per_teacher_forced": forcedRate.rate, "per_vocoded": vocodedRate.rate, "phonemes": reference.count,
                "heard_free_running": generated.count, "duration_ratio": ratio, "stopped": result.stopped,
                "phonemes_reference": spelled(reference), "phonemes_vocoded": spelled(heardVocoded),
                "phonemes_teacher_forced": spelled(heardForced), "phonemes_free_running": spelled(generated)]
            if let encoder {
                // The prompt against the output and against the target's own (real) audio.
                let e = encoder.embeddings([promptAudio, outputAudio, targetAudio]
                    .map { encoder.logMel(ofAudio: $0) })
                seenSimilarity.add(generated: cosineSimilarity(e[0], e[1]), real: cosineSimilarity(e[0], e[2]))
                detail["sim_generated"] = seenSimilarity.generated.last!; detail["sim_real"] = seenSimilarity.real.last!
            }
            details.append(detail)
            bar.update(k + 1, String(format: "PER free %.3f forced %.3f vocoded %.3f raw %.3f", free.all.rate, teacher.all.rate, vocoded.all.rate, raw.rate))
        }
        bar.finish()
        var report: [String: Any] = [
            "model": model, "split": split.rawValue, "utterances": tests.count, "steps": steps, "cfg": options.cfg, "temperature": options.temperature,
            "voice_scale": options.voiceScale, "history_noise": options.historyNoise, "timbre_match": timbreMatch,
            "per_raw_audio": raw.rate, "per_vocoded_reference": vocoded.all.rate,
            "per_teacher_forced": teacher.all.rate, "per_free_running": free.all.rate,
            "per_free_over_vocoded": free.all.rate / max(vocoded.all.rate, 1e-9),
            "per_free_running_by_engine": free.byEngineRates,
            "per_teacher_forced_by_engine": teacher.byEngineRates,
            "per_vocoded_reference_by_engine": vocoded.byEngineRates,
            "utterances_by_engine": Dictionary(grouping: tests, by: \.engine.rawValue).mapValues(\.count),
            "stopped_fraction": Double(stopped) / Double(max(tests.count, 1)),
            "duration_within_25pct_fraction": Double(durationOK) / Double(max(tests.count, 1)),
            "duration_ratio_median": ratios.isEmpty ? 0 : ratios.sorted()[ratios.count / 2],
            "per_utterance": details,
        ]
        if let encoder {
            report["sim_seen_generated"] = seenSimilarity.meanGenerated; report["sim_seen_real"] = seenSimilarity.meanReal
            report["sim_seen_ratio"] = seenSimilarity.ratio
            report.merge(try zeroShotSimilarity(ardm, pipeline, store, encoder, &rng, options)) { $1 }
        }
        let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys, .prettyPrinted])
        print(String(decoding: data, as: UTF8.self))
        if let out { try writeAtomically(data, to: URL(fileURLWithPath: out)) }
    }

    /// An error rate over all utterances and per engine. The corpus is 81% espeak-ng: PER per
    /// engine shows what the total hides (flite and festival pronounce words unlike the espeak-ng
    /// phonemes of the labels, so their floor is higher).
    struct EngineErrorRates {
        var all = ErrorRate()
        var byEngine: [Engine: ErrorRate] = [:]

        mutating func add(_ rate: ErrorRate, engine: Engine) {
            all.add(rate)
            byEngine[engine, default: ErrorRate()].add(rate)
        }

        var byEngineRates: [String: Double] { Dictionary(uniqueKeysWithValues: byEngine.map { ($0.key.rawValue, $0.value.rate) }) }
    }

    /// One request alone, in a sampler sized to it (its prefix, its longest output and the
    /// guidance branches of `options`).
    static func generateAlone(_ request: SynthesisRequest, model ardm: ARDM, options: SamplingOptions) -> SynthesisResult {
        let sampler = ARDMSampler(model: ardm, maxBatch: 1, capacity: request.textIDs.count + 2
                                  + request.promptSpeech.count / ardm.config.tokenWidth + request.maxTokens + 2,
                                  branches: options.guidanceBranches.count)
        return sampler.generate([request], options: options)[0]
    }

    /// The audio of `result`, moved toward the prompt's average spectrum by `--timbre-match`.
    func served(_ result: SynthesisResult, prompt: [Float], _ pipeline: TTSPipeline) -> [Float] {
        pipeline.waveform(of: pipeline.timbreMatched(result, toPrompt: prompt, strength: timbreMatch)).samples
    }

    /// Mean SIM(prompt, output) over unseen-voice prompts against mean SIM(prompt, another real
    /// utterance of the voice), and SIM(prompt, that utterance's mel through the vocoder): what a
    /// model that got every mel frame right would reach, as `per_vocoded_reference` is for PER.
    /// A control for `--timbre-match`: SIM(prompt, a real utterance of the next unseen voice),
    /// vocoded, as it is and moved toward the prompt's average spectrum like the outputs.
    func zeroShotSimilarity(_ ardm: ARDM, _ pipeline: TTSPipeline, _ store: CorpusStore, _ encoder: SpeakerEncoder,
                            _ rng: inout RNG, _ options: SamplingOptions) throws -> [String: Any] {
        let byVoice = Dictionary(grouping: store.utterances(split: .test, seenVoices: false), by: \.voice)
        var similarity = Similarities(), vocoded: [Double] = [], impostor: [Double] = [], impostorMatched: [Double] = []
        var details: [[String: Any]] = []
        let voices = byVoice.keys.sorted()
        for (v, voice) in voices.enumerated() where similarity.generated.count < unseenCount {
            let utterances = byVoice[voice]!
            guard utterances.count >= 2 + promptUtterances else { continue }
            let (prompt, other, target) = (utterances[0], utterances[1], utterances[2])
            // A longer prompt: the first utterance, then others after 0.2 s pauses.
            let joined = [prompt] + utterances.dropFirst(3).prefix(promptUtterances - 1)
            let clips = try joined.map { try store.audio(for: $0) }
            let pause = [Float](repeating: 0, count: pipeline.extractor.configuration.sampleRate / 5)
            let request = try pipeline.request(text: target.text, promptText: joined.map(\.text).joined(separator: " "),
                                               promptAudio: Array(clips.joined(separator: pause)), seed: seed,
                                               maxSeconds: 2 * target.duration + 1)
            let output = served(Self.generateAlone(request, model: ardm, options: options), prompt: request.promptSpeech, pipeline)
            let otherVocoded = pipeline.vocoder.synthesize(try store.logMel(for: other)).samples
            // An utterance of the next unseen voice (by name; another voice unless there is one).
            let strangers = byVoice[voices[(v + 1) % voices.count]]!, stranger = strangers[min(1, strangers.count - 1)]
            let strangerTokens = SpeechTokens.tokens(logMel: try store.mel(for: stranger), melBins: ardm.config.melBins,
                                                     patchFrames: ardm.config.patchFrames, statistics: ardm.melStatistics)
            let strangerSpeech = SynthesisResult(tokens: strangerTokens, tokenCount: strangerTokens.count / ardm.config.tokenWidth,
                                                 stopped: true)
            let mels = [clips[0], try store.audio(for: other), output, otherVocoded,
                        pipeline.waveform(of: strangerSpeech).samples, served(strangerSpeech, prompt: request.promptSpeech, pipeline)]
                .map { encoder.logMel(ofAudio: $0) }
            let e = encoder.embeddings(mels)
            similarity.add(generated: cosineSimilarity(e[0], e[2]), real: cosineSimilarity(e[0], e[1]))
            vocoded.append(cosineSimilarity(e[0], e[3]))
            impostor.append(cosineSimilarity(e[0], e[4])); impostorMatched.append(cosineSimilarity(e[0], e[5]))
            details.append(["voice": voice, "sim_real": similarity.real.last!, "sim_generated": similarity.generated.last!,
                            "sim_vocoded": vocoded.last!, "impostor": stranger.voice, "sim_impostor": impostor.last!,
                            "sim_impostor_matched": impostorMatched.last!])
        }
        let v = Similarities.mean(vocoded), r = max(similarity.meanReal, 1e-9)
        return ["sim_unseen_generated": similarity.meanGenerated, "sim_unseen_real": similarity.meanReal,
                "sim_unseen_vocoded": v, "sim_ratio": similarity.ratio, "sim_vocoded_ratio": v / r,
                "sim_impostor": Similarities.mean(impostor), "sim_impostor_matched": Similarities.mean(impostorMatched),
                "sim_voices": similarity.generated.count, "sim_prompt_utterances": promptUtterances, "sim_per_voice": details]
    }

    /// SIM(prompt, output) and SIM(prompt, a real utterance of the voice), pair by pair; the
    /// ratio of their means is issue 10's zero-shot measure.
    struct Similarities {
        var generated: [Double] = [], real: [Double] = []

        mutating func add(generated g: Double, real r: Double) { generated.append(g); real.append(r) }
        static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }
        var meanGenerated: Double { Self.mean(generated) }
        var meanReal: Double { Self.mean(real) }
        var ratio: Double { meanGenerated / max(meanReal, 1e-9) }
    }
}

/// `--split train|validation|test`, parsed (and refused with the choices) before anything loads.
extension CorpusSplit: ExpressibleByArgument {}
