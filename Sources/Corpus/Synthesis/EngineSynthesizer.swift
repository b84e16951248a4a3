import Audio
import Foundation

/// What an engine produced for one text: audio at 16 kHz (decoded and resampled from the
/// engine's WAV) and, where the engine reports them, phone end times in that audio.
struct EngineOutput {
    var waveform: Waveform
    var timings: [PhoneTiming]?
    /// How the timings were obtained ("flite -psdur", "festival utt.save.segs").
    var timingSource: String?
}

/// Runs the engine program for one voice and reads back its WAV. `scratch` is a folder owned by
/// the calling worker; files in it are overwritten by the next utterance.
struct EngineSynthesizer {
    var tools: EngineTools

    func synthesize(_ text: String, voice: Voice, scratch: URL) throws -> EngineOutput {
        let wav = scratch.appendingPathComponent("out.wav")
        try? FileManager.default.removeItem(at: wav)
        var timings: [PhoneTiming]?
        var source: String?
        let program = Subprocess.locate(tools.program(for: voice.engine)) ?? tools.program(for: voice.engine)
        switch voice.engine {
        case .espeak where tools.espeakHelper != nil:
            let helper = tools.espeakHelper!
            let timingFile = scratch.appendingPathComponent("out.timings.json")
            try check(Subprocess.run(helper[0], Array(helper.dropFirst()) + EspeakCommand.helperArguments(
                text: text, settings: voice.settings, wav: wav.path, timings: timingFile.path), scratch: scratch), program: helper[0])
            timings = try? JSONDecoder().decode([PhoneTiming].self, from: Data(contentsOf: timingFile))
            source = "espeak-ng library phoneme events (IPA start times)"
        case .espeak:
            try check(Subprocess.run(program, EspeakCommand.arguments(text: text, settings: voice.settings, wav: wav.path),
                                     scratch: scratch), program: program)
        case .flite:
            let result = try Subprocess.run(program, FliteCommand.arguments(text: text, settings: voice.settings, wav: wav.path),
                                            scratch: scratch)
            try check(result, program: program)
            timings = FliteCommand.parseSegments(result.standardOutput)
            source = "flite -psdur (segment end times)"
        case .festival:
            let segs = scratch.appendingPathComponent("out.segs")
            let script = scratch.appendingPathComponent("synth.scm")
            try FestivalCommand.script(text: text, settings: voice.settings, wav: wav.path, segs: segs.path)
                .write(to: script, atomically: false, encoding: .utf8)
            try check(Subprocess.run(program, ["-b", script.path], scratch: scratch), program: program)
            timings = FestivalCommand.parseSegments((try? String(contentsOf: segs, encoding: .utf8)) ?? "")
            source = "festival utt.save.segs (segment end times)"
        }
        let waveform: Waveform
        do {
            waveform = try AudioDecoder.decode(path: wav.path, targetSampleRate: internalSampleRate)
        } catch {
            throw CorpusError.engineFailed(command: "\(program) (\(voice.id))", reason: "unreadable WAV: \(error)")
        }
        return EngineOutput(waveform: waveform, timings: timings?.isEmpty == false ? timings : nil,
                            timingSource: timings?.isEmpty == false ? source : nil)
    }

    private func check(_ result: Subprocess.Result, program: String) throws {
        guard result.status == 0 else {
            let detail = result.standardError.split(separator: "\n").suffix(3).joined(separator: " | ")
            throw CorpusError.engineFailed(command: program, reason: "exit status \(result.status): \(detail)")
        }
    }
}
