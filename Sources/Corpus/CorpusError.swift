/// Why a corpus could not be built or read. Every message names the file, tool or package
/// involved, so the person running the build knows what to fix.
public enum CorpusError: Error, Equatable, CustomStringConvertible {
    /// Engines, voices or text packages the build needs are not installed; nothing was built.
    case missingTools([MissingTool])
    /// An engine ran but produced no usable audio for one utterance.
    case engineFailed(command: String, reason: String)
    /// The text source gave too few usable sentences for the requested corpus.
    case notEnoughText(reason: String)
    /// A store file is missing, truncated or fails its checksum.
    case corruptStore(path: String, reason: String)
    /// A store in the output folder was built with other settings; resuming would mix them.
    case settingsMismatch(path: String, reason: String)
    /// The build stopped early on request (`CorpusBuildOptions.stopAfterShards`); run it again
    /// to resume.
    case interrupted(completedShards: Int, totalShards: Int)
    case invalidOption(String)

    public var description: String {
        switch self {
        case .missingTools(let tools):
            let lines = tools.map { "  \($0.description)" }
            let packages = Array(Set(tools.flatMap(\.packages))).sorted()
            return "the corpus build needs tools that are missing:\n" + lines.joined(separator: "\n")
                + "\ninstall them with: apt-get install " + packages.joined(separator: " ")
        case .engineFailed(let command, let reason): return "\(command) failed: \(reason)"
        case .notEnoughText(let reason): return "not enough text: \(reason)"
        case .corruptStore(let path, let reason): return "corpus store \(path) is unusable: \(reason)"
        case .settingsMismatch(let path, let reason):
            return "\(path) holds a build with other settings (\(reason)); use another --out or delete it"
        case .interrupted(let done, let total): return "build stopped after \(done) of \(total) shards; run again to resume"
        case .invalidOption(let reason): return reason
        }
    }
}

/// One thing the build needs and this machine lacks, with the Debian packages that provide it.
public struct MissingTool: Equatable, Sendable, CustomStringConvertible {
    /// What is missing: a program ("festival"), a voice ("festival voice ked_diphone") or data.
    public var what: String
    /// Where it was looked for.
    public var lookedFor: String
    public var packages: [String]

    public var description: String {
        "\(what) not found (looked for \(lookedFor)): apt-get install \(packages.joined(separator: " "))"
    }
}
