import Foundation
import Testing
import Training

/// The evaluation table's means, seed spread, stop rate, KL column and per-sample values.
@Suite struct EvalTableTests {
    @Test func rowsAndKLColumn() throws {
        var table = EvalTable(task: .a)
        table.add(method: "base", perSeed: [[.f0v: [1, 3], .per: [10, 20], .sim: [0.5, 0.7]],
                                            [.f0v: [5, 7], .per: [30, .nan], .sim: [0.6, 0.6]]],
                  stopped: [true, true, false, true])
        table.add(method: "VGPO", perSeed: [[.f0v: [8], .per: [12], .sim: [0.6]]], stopped: [true], kl: 0.0123)
        let base = table.rows[0]
        #expect(base.means["F0V"] == 4 && base.means["PER"] == 20 && base.stopped == 0.75 && base.kl == nil)
        // Per-seed F0V means 2 and 6: their standard deviation is √8.
        #expect(abs(base.seedSpread["F0V"]! - 8.0.squareRoot()) < 1e-12)
        // Sample values stay in seed-then-item order, a non-finite score as null (JSON has no NaN).
        #expect(base.values?["F0V"] == [1, 3, 5, 7] && base.values?["PER"] == [10, 20, 30, nil])
        let json = String(decoding: try JSONEncoder().encode(table.rows), as: UTF8.self)
        #expect(json.contains("[10,20,30,null]"))
        let lines = table.markdown.split(separator: "\n")
        #expect(lines[0].contains("KL ↓") && lines[2].contains("| 0 |") && lines[3].contains("0.0123"))
        var plain = EvalTable(task: .b)
        plain.add(method: "base", perSeed: [[.nll: [1], .per: [2], .sim: [0.5]]], stopped: [true])
        #expect(!plain.markdown.contains("KL"), "no KL column without fine-tuned rows")
    }
}
