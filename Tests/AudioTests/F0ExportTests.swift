import Foundation
import Testing
@testable import Audio

/// Offline hook for scripts/compare_f0_praat.py: when VGPO_F0_EXPORT_LIST names a file of WAV
/// paths (one per line), writes our mean F0 and F0V for each, as JSON lines, to
/// VGPO_F0_EXPORT_OUT (with per-frame F0 too when VGPO_F0_EXPORT_FRAMES is set). Without those variables the test does nothing. (A `vgpo-train f0`
/// subcommand calling `F0Analysis.analyze(path:)` would replace this hook.)
@Suite("F0 export hook")
struct F0ExportTests {
    struct Row: Codable { var path: String; var meanF0Hz: Double?; var f0vHz: Double; var voicedFrames: Int; var frames: Int; var track: [Float]? }

    @Test func exportF0ForListedFiles() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let list = environment["VGPO_F0_EXPORT_LIST"], let output = environment["VGPO_F0_EXPORT_OUT"] else { return }
        let paths = try String(contentsOfFile: list, encoding: .utf8).split(separator: "\n").map(String.init)
        var lines: [String] = []
        for path in paths where !path.isEmpty {
            let result = try F0Analysis.analyze(path: path)
            var row = Row(path: path, meanF0Hz: result.meanF0Hz, f0vHz: result.f0VarianceHz,
                          voicedFrames: result.voicedFrames, frames: result.frameCount, track: nil)
            if environment["VGPO_F0_EXPORT_FRAMES"] != nil {  // per-frame F0 (0 = unvoiced), for diagnosis
                let track = YINPitchTracker().track(try AudioDecoder.decode(path: path).samples)
                row.track = track.f0.map { $0 ?? 0 }
            }
            lines.append(String(decoding: try JSONEncoder().encode(row), as: UTF8.self))
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: output, atomically: true, encoding: .utf8)
        #expect(lines.count == paths.filter { !$0.isEmpty }.count)
    }
}
