/// flite's command line for one voice, with segment end times printed on stdout:
/// `flite -voice NAME --setf duration_stretch=S -psdur -o OUT -t TEXT` prints
/// "pau:0.164 hh:0.255 ax:0.304 ..." (phone:end-seconds, space separated).
enum FliteCommand {
    static func arguments(text: String, settings: VoiceSettings, wav: String) -> [String] {
        var arguments = ["-voice", settings.engineVoice]
        if let stretch = settings.durationStretch { arguments += ["--setf", "duration_stretch=\(stretch)"] }
        return arguments + ["-psdur", "-o", wav, "-t", text]
    }

    static func parseSegments(_ output: String) -> [PhoneTiming] {
        var ends: [(String, Double)] = []
        for item in output.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let parts = item.split(separator: ":")
            guard parts.count == 2, let end = Double(parts[1]) else { continue }
            ends.append((String(parts[0]), end))
        }
        return PhoneTiming.fromEndTimes(ends)
    }
}
