import Foundation
import Testing
import Training

/// The Figure-2 plot reads evaluation entries only, keeps the last entry of a repeated
/// iteration, and draws one line per run per panel inside its panel.
@Suite struct CurvePlotTests {
    @Test func readsEvaluationsAndDrawsEveryRun() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curve-plot-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let log = folder.appendingPathComponent("log.jsonl")
        try """
            {"eval":1,"iteration":0,"KL":0,"F0V":10}
            {"iteration":1,"kl":0.5,"reward":3}
            {"eval":1,"iteration":2,"KL":0.1,"F0V":12}
            {"eval":1,"iteration":2,"KL":0.2,"F0V":13}
            {"eval":1,"iteration":4,"KL":0.3,"F0V":15}

            """.write(to: log, atomically: true, encoding: .utf8)
        let run = try CurvePlot.series(label: "A<1>", log: log)
        #expect(run.points["KL"]!.map(\.x) == [0, 2, 4] && run.points["KL"]!.map(\.y) == [0, 0.2, 0.3])
        #expect(run.points["kl"] == nil, "training entries are not evaluations")
        var other = run
        other.label = "B"
        other.points["F0V"] = [(0, 9), (4, 20)]
        let svg = CurvePlot(series: [run, other], metrics: ["KL", "F0V"]).svg
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 4)
        #expect(svg.contains("A&lt;1&gt;") && svg.hasPrefix("<svg"))
        // Every plotted x lies inside one of the two panels (56 ... 416 and 528 ... 888).
        let xs = svg.components(separatedBy: "points=\"").dropFirst().flatMap { chunk in
            chunk.prefix { $0 != "\"" }.split(separator: " ").map { Double($0.split(separator: ",")[0])! }
        }
        #expect(xs.allSatisfy { (56...416).contains($0) || (528...888).contains($0) })
    }
}
