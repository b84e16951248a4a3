/// A Prometheus histogram: cumulative counts of observations at or below each upper bound, plus
/// their sum and count (exposition format: `_bucket{le="…"}`, `_sum`, `_count`).
struct PrometheusHistogram: Sendable {
    let upperBounds: [Double]
    private(set) var bucketCounts: [Int]
    private(set) var sum = 0.0
    private(set) var count = 0

    init(upperBounds: [Double]) {
        self.upperBounds = upperBounds
        bucketCounts = Array(repeating: 0, count: upperBounds.count)
    }

    mutating func observe(_ value: Double) {
        for (index, bound) in upperBounds.enumerated() where value <= bound { bucketCounts[index] += 1 }
        sum += value
        count += 1
    }

    /// The exposition lines of this histogram under `name`.
    func render(name: String, help: String) -> String {
        var text = "# HELP \(name) \(help)\n# TYPE \(name) histogram\n"
        for (bound, cumulative) in zip(upperBounds, bucketCounts) {
            text += "\(name)_bucket{le=\"\(PrometheusText.number(bound))\"} \(cumulative)\n"
        }
        text += "\(name)_bucket{le=\"+Inf\"} \(count)\n"
        text += "\(name)_sum \(PrometheusText.number(sum))\n\(name)_count \(count)\n"
        return text
    }
}

/// Formatting helpers of the Prometheus text exposition format (version 0.0.4).
enum PrometheusText {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// A sample value: integers without a fraction, others as Swift prints doubles.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// A label value with `\`, `"` and newlines escaped.
    static func label(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
