import Foundation

/// Rows of an evaluation (one per method) and their Markdown and JSON renderings.
public struct EvalTable: Sendable {
    public struct Row: Sendable, Codable {
        public var method: String
        /// Mean of each column over items and seeds.
        public var means: [String: Double]
        /// Standard deviation over seeds of the per-seed means (0 with one seed).
        public var seedSpread: [String: Double]
        public var samples: Int
        /// Fraction of samples ended by the stop head.
        public var stopped: Double
        /// KL proxy to the base model (fine-tuned models only).
        public var kl: Double?
        /// Each sample's value per column, seed by seed in item order (nil where a score was
        /// not finite): every row lists the same items and seeds in the same order, so two
        /// rows compare sample by sample (a paired difference is far tighter than two means).
        public var values: [String: [Double?]]?
    }

    public let task: EvalTask
    public private(set) var rows: [Row] = []

    public init(task: EvalTask) { self.task = task }

    /// Adds a method's row from its per-seed lists of sample values (column → values).
    public mutating func add(method: String, perSeed: [[EvalColumn: [Double]]], stopped: [Bool], kl: Double? = nil) {
        var means: [String: Double] = [:], spread: [String: Double] = [:], values: [String: [Double?]] = [:]
        for column in task.columns {
            let samples = perSeed.flatMap { $0[column] ?? [] }
            values[column.rawValue] = samples.map { $0.isFinite ? $0 : nil }
            let seedMeans = perSeed.map { mean($0[column] ?? []) }
            means[column.rawValue] = mean(samples)
            let m = mean(seedMeans)
            spread[column.rawValue] = seedMeans.count > 1
                ? (seedMeans.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(seedMeans.count - 1)).squareRoot() : 0
        }
        rows.append(Row(method: method, means: means, seedSpread: spread, samples: stopped.count,
                        stopped: Double(stopped.filter { $0 }.count) / Double(max(stopped.count, 1)), kl: kl, values: values))
    }

    private func mean(_ values: [Double]) -> Double {
        let finite = values.filter(\.isFinite)
        return finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
    }

    public var markdown: String {
        let columns = task.columns, showKL = rows.contains { $0.kl != nil }
        var lines = ["| Method | " + columns.map { "\($0.rawValue) \($0.better)" }.joined(separator: " | ") + (showKL ? " | KL ↓" : "")
                        + " | stopped | samples |",
                     "|---|" + String(repeating: "---|", count: columns.count + 2 + (showKL ? 1 : 0))]
        for row in rows {
            let cells = columns.map { c -> String in
                let m = row.means[c.rawValue] ?? .nan, s = row.seedSpread[c.rawValue] ?? 0
                let digits = c == .f0v ? 2 : 3
                return s > 0 ? String(format: "%.\(digits)f ± %.\(digits)f", m, s) : String(format: "%.\(digits)f", m)
            }
            let kl = showKL ? " | " + (row.kl.map { String(format: "%.4f", $0) } ?? (row.method == "base" ? "0" : "—")) : ""
            lines.append("| \(row.method) | " + cells.joined(separator: " | ") + kl + String(format: " | %.0f%% | %d |", 100 * row.stopped, row.samples))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
