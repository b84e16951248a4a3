import CEspeakNG
import Foundation

/// The process-wide espeak-ng instance. espeak-ng keeps global state and is not thread-safe,
/// so every call goes through `shared`, serialised by one lock; initialisation happens on first
/// use, inside the lock. No audio is produced or played: only text -> phoneme translation.
final class EspeakEngine: @unchecked Sendable {
    static let shared = EspeakEngine()

    private let lock = NSLock()
    private var initialised = false
    private var currentLanguage: String?

    /// Directories that hold espeak-ng's compiled data (they contain `phontab`), in the order
    /// tried: $ESPEAK_DATA_PATH (or its espeak-ng-data child), then the Debian/Ubuntu multiarch
    /// paths, the generic and /usr/local paths, and Homebrew's.
    static func dataPathCandidates(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var candidates: [String] = []
        if let custom = environment["ESPEAK_DATA_PATH"] { candidates += [custom, custom + "/espeak-ng-data"] }
        candidates += ["/usr/lib/x86_64-linux-gnu/espeak-ng-data", "/usr/lib/aarch64-linux-gnu/espeak-ng-data",
                       "/usr/lib/espeak-ng-data", "/usr/share/espeak-ng-data", "/usr/local/share/espeak-ng-data",
                       "/opt/homebrew/share/espeak-ng-data"]
        return candidates
    }

    static func findDataPath() -> String? {
        dataPathCandidates().first { FileManager.default.fileExists(atPath: $0 + "/phontab") }
    }

    /// IPA phonemes of `text` for `language`, phonemes separated by "_", words by " ", clauses
    /// joined by " ". Stress marks are attached to the phoneme they precede, as espeak-ng writes them.
    func phonemes(_ text: String, language: String) throws(TextError) -> String {
        lock.lock()
        defer { lock.unlock() }
        try initialiseIfNeeded()
        if currentLanguage != language {
            guard espeak_SetVoiceByName(language) == EE_OK else { throw .unknownLanguage(language) }
            currentLanguage = language
        }
        // Bit 1: IPA; bits 8-23: the separator written between phonemes.
        let mode = Int32(espeakPHONEMES_IPA) | (Int32(UInt8(ascii: "_")) << 8)
        var clauses: [String] = []
        text.withCString { cText in
            var cursor: UnsafeRawPointer? = UnsafeRawPointer(cText)
            while cursor != nil {
                let before = cursor
                guard let result = espeak_TextToPhonemes(&cursor, espeakCHARS_UTF8, mode) else { break }
                let clause = String(cString: result).trimmingCharacters(in: .whitespacesAndNewlines)
                if !clause.isEmpty { clauses.append(clause) }
                if cursor == before { break }  // no progress: never loop forever
            }
        }
        return clauses.joined(separator: " ")
    }

    private func initialiseIfNeeded() throws(TextError) {
        guard !initialised else { return }
        guard let path = Self.findDataPath() else {
            throw .phonemizerUnavailable(reason: "no espeak-ng-data directory found (set ESPEAK_DATA_PATH)")
        }
        // DONT_EXIT: on failure espeak-ng would otherwise call exit() inside the library.
        let rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, path, Int32(espeakINITIALIZE_DONT_EXIT))
        guard rate > 0 else { throw .phonemizerUnavailable(reason: "espeak_Initialize failed with data at \(path)") }
        initialised = true
    }
}
