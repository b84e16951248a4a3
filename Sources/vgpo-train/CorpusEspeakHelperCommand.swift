import ArgumentParser
import Corpus

/// `vgpo-train corpus espeak-helper`: one espeak-ng utterance through the library, with phoneme
/// timings. Started by the corpus build for each espeak-ng utterance (espeak-ng's library state
/// is global, so each synthesis gets a process of its own); not meant to be run by hand.
struct CorpusEspeakHelperCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "espeak-helper",
        abstract: "Synthesise one text with espeak-ng's library, writing a WAV and phoneme timings (used by the corpus build).",
        shouldDisplay: false)

    @Option(help: "espeak-ng voice, e.g. en-gb-scotland+f3.")
    var voice: String

    @Option(help: "Pitch adjustment, 0-99.")
    var pitch: Int?

    @Option(help: "Speaking rate, words per minute.")
    var rate: Int?

    @Option(help: "Output WAV path.")
    var wav: String

    @Option(help: "Output path of the phone timings (JSON list of {phone, start, end} in seconds).")
    var timings: String

    @Argument(help: "The text to speak.")
    var text: String

    func run() throws {
        try EspeakLibrarySynthesis.run(text: text, voice: voice, pitch: pitch, wordsPerMinute: rate,
                                       wavPath: wav, timingsPath: timings)
    }
}
