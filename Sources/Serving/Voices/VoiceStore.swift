import Audio
import Foundation

/// The prompt voices the server knows: built-ins (read-only, from the shipped folder) and
/// uploads (persisted in `voices_dir`, surviving restarts). Audio is kept decoded in memory.
/// All access is serialised; files are written before a voice becomes visible.
public final class VoiceStore: @unchecked Sendable {
    public let builtinDirectory: String
    public let userDirectory: String
    private let lock = NSLock()
    private var voices: [StoredVoice] = []

    public init(builtinDirectory: String, userDirectory: String) {
        self.builtinDirectory = builtinDirectory
        self.userDirectory = userDirectory
    }

    /// (Re)reads both folders. Throws for broken built-ins (a packaging error); damaged uploads
    /// are skipped and reported through `report`.
    public func load(report: (String) -> Void) throws {
        let builtins = try VoiceFiles.readBuiltins(from: builtinDirectory)
        let uploads = VoiceFiles.readUserVoices(from: userDirectory, report: report)
            .filter { upload in !builtins.contains { $0.id == upload.id } }
        lock.lock()
        voices = builtins + uploads
        lock.unlock()
    }

    /// Built-ins first, in index order, then uploads.
    public var all: [StoredVoice] {
        lock.lock()
        defer { lock.unlock() }
        return voices
    }

    public func voice(id: String) -> StoredVoice? {
        all.first { $0.id == id }
    }

    /// The voice a request names: 404 `voice_not_found` for an unknown or malformed id.
    func requireVoice(id: String) throws -> StoredVoice {
        guard VoiceID.isWellFormed(id), let stored = voice(id: id) else {
            throw APIError.notFound("no voice '\(id)' (see GET /v1/voices)", code: "voice_not_found")
        }
        return stored
    }

    /// Stores a new upload under a fresh id and returns it.
    public func create(name: String, promptText: String, audio: Waveform) throws -> StoredVoice {
        lock.lock()
        defer { lock.unlock() }
        var id = VoiceID.generate()
        while voices.contains(where: { $0.id == id }) { id = VoiceID.generate() }
        let voice = StoredVoice(id: id, name: name, promptText: promptText, builtin: false, audio: audio)
        try VoiceFiles.writeUserVoice(voice, to: userDirectory)
        voices.append(voice)
        return voice
    }

    /// Deletes an upload. Built-ins are refused (403), unknown ids are 404.
    public func delete(id: String) throws {
        lock.lock()
        defer { lock.unlock() }
        guard let index = voices.firstIndex(where: { $0.id == id }) else {
            throw APIError.notFound("no voice '\(id)'", code: "voice_not_found")
        }
        guard !voices[index].builtin else {
            throw APIError.forbidden("voice '\(id)' is built in and cannot be deleted", code: "builtin_voice")
        }
        try VoiceFiles.removeUserVoice(id: id, from: userDirectory)
        voices.remove(at: index)
    }
}
