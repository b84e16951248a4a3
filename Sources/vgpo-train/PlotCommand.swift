import ArgumentParser
import Foundation
import Training

/// `vgpo-train plot`: the paper's Figure 2 from fine-tuning logs (issue 9).
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw evaluation curves (KL, F0V, SIM, PER, ... against iterations) of fine-tuning runs as SVG.",
        discussion: """
            Each run is a folder with a log.jsonl written by `vgpo` or `dpo` (or the log file itself); \
            label a run with NAME=PATH. One panel per metric, one line per run.

            Example: vgpo-train plot --metrics KL,F0V,SIM,PER --out docs/results/task-a/figure2.svg \\
                       A1=runs/vgpo-f0v-a1 A3=runs/vgpo-f0v-a3 DPO=runs/dpo-f0v
            """)

    @Argument(help: "Runs: PATH or NAME=PATH (a run folder or its log.jsonl).") var runs: [String]
    @Option(help: "Metrics, comma-separated, in panel order.") var metrics = "KL,F0V,SIM,PER"
    @Option(help: "Output SVG file.") var out: String

    func run() throws {
        guard !runs.isEmpty else { throw ValidationError("name at least one run") }
        let series = try runs.map { spec -> CurvePlot.Series in
            let named = NamedPath(spec)
            let path = named.path, label = named.name ?? URL(fileURLWithPath: path).lastPathComponent
            var url = URL(fileURLWithPath: path)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
                url = url.appendingPathComponent("log.jsonl")
            }
            guard FileManager.default.fileExists(atPath: url.path) else { throw ValidationError("no log at \(url.path)") }
            return try CurvePlot.series(label: label, log: url)
        }
        let plot = CurvePlot(series: series, metrics: metrics.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        let file = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(plot.svg.utf8).write(to: file, options: .atomic)
        print("wrote \(out): \(series.count) runs, \(plot.metrics.count) panels")
    }
}
