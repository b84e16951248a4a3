/// espeak-ng's command line for one voice (no timings), and the timing helper's: `espeak-ng -v ACCENT+VARIANT -p PITCH -s WPM -w OUT TEXT`.
enum EspeakCommand {
    static func arguments(text: String, settings: VoiceSettings, wav: String) -> [String] {
        var arguments = ["-v", settings.engineVoice]
        if let pitch = settings.pitch { arguments += ["-p", String(pitch)] }
        if let rate = settings.wordsPerMinute { arguments += ["-s", String(rate)] }
        // "--" would be read as text by espeak-ng; corpus sentences never start with "-".
        return arguments + ["-w", wav, text]
    }

    /// Arguments of `vgpo-train corpus espeak-helper` (after its leading words) for one voice.
    static func helperArguments(text: String, settings: VoiceSettings, wav: String, timings: String) -> [String] {
        var arguments = ["--voice", settings.engineVoice]
        if let pitch = settings.pitch { arguments += ["--pitch", String(pitch)] }
        if let rate = settings.wordsPerMinute { arguments += ["--rate", String(rate)] }
        return arguments + ["--wav", wav, "--timings", timings, "--", text]
    }
}
