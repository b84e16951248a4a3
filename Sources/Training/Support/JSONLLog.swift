import Foundation

/// Appends one JSON object per line to a log file (JSONL), flushing each line.
public final class JSONLLog: @unchecked Sendable {
    let handle: FileHandle

    public init(path: URL) throws {
        if !FileManager.default.fileExists(atPath: path.path) {
            try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: path.path, contents: nil)
        }
        handle = try FileHandle(forWritingTo: path)
        try handle.seekToEnd()
    }

    public func write(_ object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        handle.write(data + Data("\n".utf8))
    }

    /// Appends one already-encoded JSON object as a line.
    public func append<T: Encodable>(_ value: T) throws {
        handle.write(try JSONEncoder().encode(value) + Data("\n".utf8))
    }

    /// The numeric fields of a fine-tuning log's evaluation entries (`"eval": 1`) by iteration;
    /// an iteration logged twice (a run resumed from an earlier checkpoint) keeps its last entry.
    public static func evaluations(in log: URL) throws -> [Double: [String: Double]] {
        let text = try String(contentsOf: log, encoding: .utf8)
        var byIteration: [Double: [String: Double]] = [:]
        for line in text.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  (object["eval"] as? NSNumber)?.intValue == 1, let iteration = (object["iteration"] as? NSNumber)?.doubleValue
            else { continue }
            byIteration[iteration] = object.compactMapValues { ($0 as? NSNumber)?.doubleValue }
        }
        return byIteration
    }
}
