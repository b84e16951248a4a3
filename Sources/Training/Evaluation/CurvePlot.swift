import Foundation

/// Training curves as an SVG figure (the paper's Figure 2): one panel per metric, a line per
/// run, metric against iteration, from the evaluation entries of fine-tuning logs
/// (`JSONLLog.evaluations`).
public struct CurvePlot: Sendable {
    /// One run's curve of every metric: (iteration, value) pairs in iteration order.
    public struct Series: Sendable {
        public var label: String
        public var points: [String: [(x: Double, y: Double)]]
    }

    public var series: [Series]
    public var metrics: [String]

    public init(series: [Series], metrics: [String]) { self.series = series; self.metrics = metrics }

    /// The evaluation curves of a `log.jsonl`.
    public static func series(label: String, log: URL) throws -> Series {
        let byIteration = try JSONLLog.evaluations(in: log)
        var points: [String: [(x: Double, y: Double)]] = [:]
        for iteration in byIteration.keys.sorted() {
            for (metric, value) in byIteration[iteration]! where value.isFinite && metric != "eval" && metric != "iteration" {
                points[metric, default: []].append((iteration, value))
            }
        }
        return Series(label: label, points: points)
    }

    static let panelWidth = 360.0, panelHeight = 220.0, margin = 56.0, columns = 2
    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

    /// The figure: panels in rows of two, a legend at the bottom.
    public var svg: String {
        let rows = (metrics.count + Self.columns - 1) / Self.columns
        let cellW = Self.panelWidth + 2 * Self.margin, cellH = Self.panelHeight + 2 * Self.margin
        let legendH = 24.0 * Double(series.count) + 16
        let width = cellW * Double(min(Self.columns, max(metrics.count, 1))), height = cellH * Double(rows) + legendH
        var out = [#"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" font-family="sans-serif" font-size="12">"#,
                   #"<rect width="100%" height="100%" fill="white"/>"#]
        for (m, metric) in metrics.enumerated() {
            let x0 = Double(m % Self.columns) * cellW + Self.margin, y0 = Double(m / Self.columns) * cellH + Self.margin
            out += panel(metric, x0: x0, y0: y0)
        }
        for (s, run) in series.enumerated() {
            let y = cellH * Double(rows) + 16 + 24 * Double(s), color = Self.colors[s % Self.colors.count]
            out.append(#"<line x1="\#(Self.margin)" y1="\#(y)" x2="\#(Self.margin + 28)" y2="\#(y)" stroke="\#(color)" stroke-width="2"/>"#)
            out.append(#"<text x="\#(Self.margin + 36)" y="\#(y + 4)">\#(escape(run.label))</text>"#)
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    private func panel(_ metric: String, x0: Double, y0: Double) -> [String] {
        let all = series.flatMap { $0.points[metric] ?? [] }
        var out = [#"<rect x="\#(x0)" y="\#(y0)" width="\#(Self.panelWidth)" height="\#(Self.panelHeight)" fill="none" stroke="gray"/>"#,
                   #"<text x="\#(x0 + Self.panelWidth / 2)" y="\#(y0 - 10)" text-anchor="middle" font-weight="bold">\#(escape(metric))</text>"#,
                   #"<text x="\#(x0 + Self.panelWidth / 2)" y="\#(y0 + Self.panelHeight + 36)" text-anchor="middle">iteration</text>"#]
        guard let xMin = all.map(\.x).min(), let xMax = all.map(\.x).max(),
              let yMin = all.map(\.y).min(), let yMax = all.map(\.y).max() else { return out }
        let xSpan = max(xMax - xMin, 1e-9), ySpan = max(yMax - yMin, 1e-9 * max(abs(yMax), 1))
        func px(_ x: Double) -> Double { x0 + (x - xMin) / xSpan * Self.panelWidth }
        func py(_ y: Double) -> Double { y0 + Self.panelHeight - (y - yMin) / ySpan * Self.panelHeight }
        for (value, y) in [(yMin, py(yMin)), (yMax, py(yMax))] {
            out.append(#"<text x="\#(x0 - 6)" y="\#(y + 4)" text-anchor="end">\#(Self.tick(value))</text>"#)
        }
        for (value, x) in [(xMin, px(xMin)), (xMax, px(xMax))] {
            out.append(#"<text x="\#(x)" y="\#(y0 + Self.panelHeight + 16)" text-anchor="middle">\#(Self.tick(value))</text>"#)
        }
        for (s, run) in series.enumerated() {
            guard let points = run.points[metric], !points.isEmpty else { continue }
            let path = points.map { String(format: "%.1f,%.1f", px($0.x), py($0.y)) }.joined(separator: " ")
            out.append(#"<polyline fill="none" stroke="\#(Self.colors[s % Self.colors.count])" stroke-width="2" points="\#(path)"/>"#)
        }
        return out
    }

    static func tick(_ v: Double) -> String {
        abs(v) >= 100 || v == v.rounded() ? String(format: "%.0f", v) : String(format: "%.3g", v)
    }

    private func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
