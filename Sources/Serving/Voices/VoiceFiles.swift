import Audio
import Foundation

/// The on-disk forms of voices.
///
/// Built-ins: `<builtin dir>/index.json` = `{"voices": [{"id", "name", "prompt_text", "audio"}]}`
/// with `audio` a WAV file name in the same folder.
/// Uploads: `<voices dir>/<id>.wav` (16 kHz mono 16-bit) and `<id>.json` (`UserVoiceRecord`);
/// the JSON is written last, atomically, so a voice exists exactly when its JSON does.
enum VoiceFiles {
    struct BuiltinIndex: Decodable {
        struct Entry: Decodable {
            let id: String
            let name: String
            let promptText: String
            let audio: String

            enum CodingKeys: String, CodingKey {
                case id, name, audio
                case promptText = "prompt_text"
            }
        }
        let voices: [Entry]
    }

    struct UserVoiceRecord: Codable {
        let id: String
        let name: String
        let promptText: String
        let createdAt: String

        enum CodingKeys: String, CodingKey {
            case id, name
            case promptText = "prompt_text"
            case createdAt = "created_at"
        }
    }

    /// Reads the built-in voices; a missing folder gives none (the server still serves uploads).
    static func readBuiltins(from directory: String) throws -> [StoredVoice] {
        let indexURL = URL(fileURLWithPath: directory).appendingPathComponent("index.json")
        guard FileManager.default.fileExists(atPath: indexURL.path) else { return [] }
        let index = try JSONDecoder().decode(BuiltinIndex.self, from: Data(contentsOf: indexURL))
        return try index.voices.map { entry in
            guard VoiceID.isWellFormed(entry.id), !entry.audio.contains("/") else {
                throw VoiceStoreError.damaged(id: entry.id, reason: "id or audio file name has unsafe characters")
            }
            let path = URL(fileURLWithPath: directory).appendingPathComponent(entry.audio).path
            let audio = try AudioDecoder.decode(path: path)
            return StoredVoice(id: entry.id, name: entry.name, promptText: entry.promptText, builtin: true, audio: audio)
        }
    }

    /// Reads every uploaded voice, skipping (and reporting) files that are damaged.
    static func readUserVoices(from directory: String, report: (String) -> Void) -> [StoredVoice] {
        let folder = URL(fileURLWithPath: directory)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { $0.hasSuffix(".json") }.sorted().compactMap { name in
            do {
                let record = try JSONDecoder().decode(UserVoiceRecord.self, from: Data(contentsOf: folder.appendingPathComponent(name)))
                guard VoiceID.isWellFormed(record.id), name == record.id + ".json" else {
                    throw VoiceStoreError.damaged(id: record.id, reason: "id does not match its file name")
                }
                let audio = try AudioDecoder.decode(path: folder.appendingPathComponent(record.id + ".wav").path)
                return StoredVoice(id: record.id, name: record.name, promptText: record.promptText, builtin: false, audio: audio)
            } catch {
                report("skipping stored voice \(name): \(error)")
                return nil
            }
        }
    }

    static func writeUserVoice(_ voice: StoredVoice, to directory: String) throws {
        let folder = URL(fileURLWithPath: directory)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try AudioEncoder.writeWAV(voice.audio, to: folder.appendingPathComponent(voice.id + ".wav").path)
        let record = UserVoiceRecord(id: voice.id, name: voice.name, promptText: voice.promptText,
                                     createdAt: ISO8601DateFormatter().string(from: Date()))
        try JSONCoding.encoder().encode(record).write(to: folder.appendingPathComponent(voice.id + ".json"), options: .atomic)
    }

    static func removeUserVoice(id: String, from directory: String) throws {
        let folder = URL(fileURLWithPath: directory)
        try FileManager.default.removeItem(at: folder.appendingPathComponent(id + ".json"))
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(id + ".wav"))
    }
}

/// Why the voice store could not start or change.
public enum VoiceStoreError: Error, CustomStringConvertible {
    case damaged(id: String, reason: String)

    public var description: String {
        switch self {
        case let .damaged(id, reason): return "voice '\(id)': \(reason)"
        }
    }
}
