import Foundation
import Testing
@testable import Corpus

/// The espeak-ng timing helper is the vgpo-train executable (`corpus espeak-helper`); `swift test`
/// builds it beside the test runner. Skipped when it is not there.
struct EspeakHelperTests {
    static let helper: String? = {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [folder, folder.deletingLastPathComponent()].map { $0.appendingPathComponent("vgpo-train").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    @Test(.enabled(if: helper != nil, "vgpo-train is not built beside the tests"))
    func helperGivesTheProgramsAudioWithPhonemeTimings() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("espeak-helper-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let voice = VoiceCatalog.all.first { $0.engine == .espeak && $0.settings.engineVoice == "en-gb-scotland+f3" }!
        var tools = EngineTools.fromEnvironment()
        let text = "The quick brown fox jumps over the lazy dog."
        let plain = try EngineSynthesizer(tools: tools).synthesize(text, voice: voice, scratch: scratch)
        tools.espeakHelper = [EspeakHelperTests.helper!, "corpus", "espeak-helper"]
        let timed = try EngineSynthesizer(tools: tools).synthesize(text, voice: voice, scratch: scratch)
        // Same synthesiser: the library's audio is the program's without its final pause (compared
        // away from the end, where resampling sees the pause or the end of the signal).
        let resamplerReach = 1_000
        let compared = timed.waveform.samples.count - resamplerReach
        #expect(timed.waveform.samples.count <= plain.waveform.samples.count)
        let worst = zip(plain.waveform.samples.prefix(compared), timed.waveform.samples.prefix(compared)).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-6)
        let timings = try #require(timed.timings)
        #expect(timings.count > 20)
        #expect(zip(timings, timings.dropFirst()).allSatisfy { $0.end <= $1.start + 1e-9 })
        #expect(abs(timings.last!.end - timed.waveform.duration) < 0.05)
        #expect(timings.contains { $0.phone == "f" } && timings.contains { $0.phone == "d" })
    }
}
