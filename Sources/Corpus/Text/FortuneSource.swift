import Foundation

/// Reads the English text of Debian's `fortunes` / `fortunes-min` packages: plain-text files in
/// /usr/share/games/fortunes whose entries ("cookies") are separated by lines holding only "%".
/// The `.dat` index files, the `.u8` links and sub-folders (e.g. the `off/` collection) are skipped.
public struct FortuneSource: Sendable {
    public static let defaultDirectory = "/usr/share/games/fortunes"
    /// Debian packages that install the files.
    public static let packages = ["fortunes", "fortunes-min"]

    public var directory: String

    public init(directory: String = FortuneSource.defaultDirectory) {
        self.directory = directory
    }

    /// The fortune files, sorted by name so every build reads them in the same order.
    public func files() throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            let path = directory + "/" + name
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { return false }
            return !name.hasSuffix(".dat") && !name.hasSuffix(".u8") && !name.hasPrefix(".")
        }.sorted()
    }

    /// Reports the missing package when no fortune file is there.
    public func check() -> MissingTool? {
        (try? files())?.isEmpty == false ? nil
            : MissingTool(what: "fortune text", lookedFor: directory, packages: Self.packages)
    }

    /// Every entry of every file, in file order, each with its lines joined by single spaces.
    public func entries() throws -> [String] {
        var result: [String] = []
        for name in try files() {
            let path = directory + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CorpusError.corruptStore(path: path, reason: "unreadable fortune file")
            }
            // Some files carry Latin-1 bytes; decoding them lossily makes them fail the ASCII filter.
            let text = String(decoding: data, as: UTF8.self)
            result += Self.entries(in: text)
        }
        return result
    }

    /// Entries of one file's text. Attribution lines ("-- Mark Twain") and everything after
    /// them in an entry are dropped: they are names, not sentences.
    static func entries(in text: String) -> [String] {
        var entries: [String] = []
        var lines: [Substring] = []
        var attributionSeen = false
        func flush() {
            let joined = lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
            if !joined.isEmpty { entries.append(joined) }
            lines = []
            attributionSeen = false
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces) == "%" { flush(); continue }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("--") || trimmed.hasPrefix("\u{2014}") { attributionSeen = true }
            if !attributionSeen { lines.append(line) }
        }
        flush()
        return entries
    }
}
