import Audio
import CEspeakNG
import Foundation

/// espeak-ng synthesis through its C library, which (unlike the espeak-ng program) reports
/// where each phoneme starts in the audio (espeakEVENT_PHONEME, IPA names).
///
/// espeak-ng's state is global to a process and Text.Phonemizer uses the same library, so this
/// runs only in a process of its own: the corpus builder starts `vgpo-train corpus espeak-helper`
/// once per utterance (EngineTools.espeakHelper), as it starts the espeak-ng program otherwise.
public enum EspeakLibrarySynthesis {
    /// Audio buffer length handed to espeak-ng per callback, milliseconds.
    static let bufferMilliseconds: Int32 = 200

    /// Synthesises `text` with `voice` ("en-gb-scotland+f3"), writes a 16-bit WAV at espeak-ng's
    /// rate (22,050 Hz) to `wavPath` and the phone timings ([PhoneTiming], JSON) to `timingsPath`.
    public static func run(text: String, voice: String, pitch: Int?, wordsPerMinute: Int?,
                           wavPath: String, timingsPath: String) throws {
        guard let dataPath = EspeakLibrarySynthesis.dataPath() else {
            throw CorpusError.engineFailed(command: "espeak-ng library", reason: "no espeak-ng-data folder")
        }
        let options = Int32(espeakINITIALIZE_PHONEME_EVENTS | espeakINITIALIZE_PHONEME_IPA | espeakINITIALIZE_DONT_EXIT)
        let sampleRate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, bufferMilliseconds, dataPath, options)
        guard sampleRate > 0 else { throw CorpusError.engineFailed(command: "espeak-ng library", reason: "espeak_Initialize failed") }
        guard selectVoice(voice) else {
            throw CorpusError.engineFailed(command: "espeak-ng library", reason: "unknown voice \(voice)")
        }
        if let pitch { espeak_SetParameter(espeakPITCH, Int32(pitch), 0) }
        if let wordsPerMinute { espeak_SetParameter(espeakRATE, Int32(wordsPerMinute), 0) }
        espeak_SetSynthCallback(collect)
        let status = text.withCString { pointer in
            espeak_Synth(pointer, strlen(pointer) + 1, 0, POS_CHARACTER, 0, UInt32(espeakCHARS_UTF8), nil, nil)
        }
        guard status == EE_OK else { throw CorpusError.engineFailed(command: "espeak-ng library", reason: "espeak_Synth status \(status)") }
        espeak_Synchronize()
        let duration = Double(collectedSamples.count) / Double(sampleRate)
        // A phoneme lasts until the next one starts; the last until the audio ends.
        let ends = collectedPhonemes.enumerated().map { index, phoneme in
            (phoneme.name, index + 1 < collectedPhonemes.count ? collectedPhonemes[index + 1].seconds : duration)
        }
        var timings: [PhoneTiming] = []
        for (index, phoneme) in collectedPhonemes.enumerated() where ends[index].1 > phoneme.seconds {
            timings.append(PhoneTiming(phone: phoneme.name, start: phoneme.seconds, end: ends[index].1))
        }
        let samples = collectedSamples.map { Float($0) / 32768 }
        try AudioEncoder.writeWAV(Waveform(samples: samples, sampleRate: Int(sampleRate)), to: wavPath)
        try JSONEncoder.corpus.encode(timings).write(to: URL(fileURLWithPath: timingsPath))
    }

    /// As the espeak-ng program does: by voice file name, else by language ("en-gb+f1": the
    /// language en-gb with variant f1).
    static func selectVoice(_ voice: String) -> Bool {
        if espeak_SetVoiceByName(voice) == EE_OK { return true }
        return voice.withCString { language in
            var properties = espeak_VOICE()
            properties.languages = language
            return espeak_SetVoiceByProperties(&properties) == EE_OK
        }
    }

    static func dataPath() -> String? {
        let candidates = ["/usr/lib/x86_64-linux-gnu/espeak-ng-data", "/usr/lib/aarch64-linux-gnu/espeak-ng-data",
                          "/usr/lib/espeak-ng-data", "/usr/share/espeak-ng-data", "/usr/local/share/espeak-ng-data"]
        let custom = ProcessInfo.processInfo.environment["ESPEAK_DATA_PATH"].map { [$0, $0 + "/espeak-ng-data"] } ?? []
        return (custom + candidates).first { FileManager.default.fileExists(atPath: $0 + "/phontab") }
    }
}

// The callback is a C function pointer and cannot capture; this process synthesises one text,
// so process-wide buffers are the simplest correct home for what it collects.
private nonisolated(unsafe) var collectedSamples: [Int16] = []
private nonisolated(unsafe) var collectedPhonemes: [(name: String, seconds: Double)] = []

private let collect: @convention(c) (UnsafeMutablePointer<Int16>?, Int32, UnsafeMutablePointer<espeak_EVENT>?) -> Int32 = { wav, count, events in
    if let wav, count > 0 { collectedSamples.append(contentsOf: UnsafeBufferPointer(start: wav, count: Int(count))) }
    var event = events
    while let current = event, current.pointee.type != espeakEVENT_LIST_TERMINATED {
        if current.pointee.type == espeakEVENT_PHONEME {
            var name = current.pointee.id.string
            let text = withUnsafeBytes(of: &name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if !text.isEmpty { collectedPhonemes.append((text, Double(current.pointee.audio_position) / 1000)) }
        }
        event = current + 1
    }
    return 0
}
