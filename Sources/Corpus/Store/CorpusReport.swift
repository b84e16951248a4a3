import Foundation

/// Human-readable statistics of a built corpus (printed by `vgpo-train corpus`).
public enum CorpusReport {
    public static func lines(_ summary: CorpusSummary, folder: String, wallSeconds: Double?) -> [String] {
        var lines = ["corpus '\(summary.size)' (seed \(summary.seed)) in \(folder)"]
        if let wallSeconds { lines.append(String(format: "  wall time: %.1f s (this run)", wallSeconds)) }
        lines.append(String(format: "  total: %.2f h", summary.totalHours))
        for split in CorpusSplit.allCases {
            guard let s = summary.splits[split.rawValue] else { continue }
            lines.append(String(format: "  %-10@ %6d utterances  %6.2f h  %3d voices  %d with phone timings",
                                split.rawValue, s.utterances, s.hours, s.voices, s.utterancesWithTimings))
        }
        let engines = summary.voices.byEngine.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        lines.append("  voices: \(summary.voices.total) (\(summary.voices.seen) seen, \(summary.voices.unseen) unseen; \(engines))")
        lines.append("  sentences: " + CorpusSplit.allCases.map { "\($0.rawValue) \(summary.sentences[$0.rawValue] ?? 0)" }.joined(separator: ", "))
        lines.append("  test sets: task A \(summary.taskAItems) items, task B \(summary.taskBItems) items")
        lines.append("  manifest sha256: \(summary.manifestSHA256)")
        return lines
    }
}
