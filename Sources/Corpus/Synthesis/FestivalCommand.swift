import Foundation

/// A festival batch script for one utterance: select the voice, set the duration stretch,
/// synthesise, save the RIFF WAV and the segment file. `festival -b script.scm` runs it.
enum FestivalCommand {
    static func script(text: String, settings: VoiceSettings, wav: String, segs: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        var lines = ["(voice_\(settings.engineVoice))"]
        if let stretch = settings.durationStretch { lines.append("(Parameter.set 'Duration_Stretch \(stretch))") }
        lines += [
            "(set! corpus_utt (utt.synth (Utterance Text \"\(escaped)\")))",
            "(utt.save.wave corpus_utt \"\(wav)\" 'riff)",
            "(utt.save.segs corpus_utt \"\(segs)\")",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses festival's segment file: a header ending in "#", then "END-SECONDS 100 PHONE" lines.
    static func parseSegments(_ text: String) -> [PhoneTiming] {
        var ends: [(String, Double)] = []
        var inBody = false
        for line in text.split(separator: "\n") {
            if line.trimmingCharacters(in: .whitespaces) == "#" { inBody = true; continue }
            guard inBody else { continue }
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3, let end = Double(fields[0]) else { continue }
            ends.append((String(fields[2]), end))
        }
        return PhoneTiming.fromEndTimes(ends)
    }
}
