import Audio
import Foundation

/// Read access to a built corpus folder (StoreLayout) for the trainers. The binary files are
/// memory-mapped, so opening is cheap and reads from many threads are safe.
///
///     let store = try CorpusStore(path: "data/corpus")
///     for u in store.utterances(split: .train) {
///         let mel = try store.mel(for: u)      // (u.frameCount, 80) row-major log-mel
///         let audio = try store.audio(for: u)  // (u.sampleCount,) at 16 kHz
///     }
public final class CorpusStore: @unchecked Sendable {
    public let layout: StoreLayout
    public let summary: CorpusSummary
    /// Every utterance, in manifest order (train, validation, test; by id within a split).
    public let utterances: [Utterance]
    public let voices: [Voice]
    private let audioData: Data
    private let melData: Data
    private let indexByID: [String: Int]

    public var melBins: Int { summary.melBins }

    public convenience init(path: String) throws {
        try self.init(url: URL(fileURLWithPath: path))
    }

    public init(url: URL) throws {
        layout = StoreLayout(root: url)
        func read(_ file: URL) throws -> Data {
            do { return try Data(contentsOf: file, options: .alwaysMapped) } catch {
                throw CorpusError.corruptStore(path: file.path, reason: "cannot read (\(error.localizedDescription)); build it with `vgpo-train corpus`")
            }
        }
        do {
            summary = try JSONDecoder().decode(CorpusSummary.self, from: read(layout.summary))
            voices = try JSONDecoder().decode([Voice].self, from: read(layout.voices))
            utterances = try Utterance.decodeLines(read(layout.manifest))
        } catch let error as CorpusError {
            throw error
        } catch {
            throw CorpusError.corruptStore(path: url.path, reason: "unreadable JSON: \(error)")
        }
        audioData = try read(layout.audio)
        melData = try read(layout.mel)
        indexByID = Dictionary(uniqueKeysWithValues: utterances.enumerated().map { ($1.id, $0) })
        if let last = utterances.last {
            guard audioData.count == last.audioOffset + last.audioByteCount,
                  melData.count == last.melOffset + last.melByteCount(melBins: summary.melBins) else {
                throw CorpusError.corruptStore(path: url.path, reason: "binary files do not match the manifest's offsets")
            }
        }
    }

    /// Utterances filtered by split, voice id and seen/unseen voice (nil: any).
    public func utterances(split: CorpusSplit? = nil, voice: String? = nil, seenVoices: Bool? = nil) -> [Utterance] {
        let seenIDs = Set(voices.filter(\.seen).map(\.id))
        return utterances.filter { u in
            (split == nil || u.split == split) && (voice == nil || u.voice == voice)
                && (seenVoices == nil || seenIDs.contains(u.voice) == seenVoices)
        }
    }

    public func utterance(id: String) -> Utterance? { indexByID[id].map { utterances[$0] } }

    public func voice(id: String) -> Voice? { voices.first { $0.id == id } }

    /// Log-mel of an utterance, (frameCount, melBins) row-major, un-normalised (ln of magnitude).
    public func mel(for utterance: Utterance) throws -> [Float] {
        let count = utterance.frameCount * melBins
        try checkRange(melData, offset: utterance.melOffset, bytes: count * 2, what: "mel of \(utterance.id)")
        return MelCoding.decode(melData, byteOffset: utterance.melOffset, count: count)
    }

    public func logMel(for utterance: Utterance) throws -> LogMel {
        LogMel(frameCount: utterance.frameCount, melCount: melBins, values: try mel(for: utterance))
    }

    /// Trimmed 16 kHz audio in [-1, 1), (sampleCount,).
    public func audio(for utterance: Utterance) throws -> [Float] {
        try checkRange(audioData, offset: utterance.audioOffset, bytes: utterance.audioByteCount, what: "audio of \(utterance.id)")
        return MelCoding.decodePCM16(audioData, byteOffset: utterance.audioOffset, count: utterance.sampleCount)
    }

    public func waveform(for utterance: Utterance) throws -> Waveform {
        Waveform(samples: try audio(for: utterance), sampleRate: utterance.sampleRate)
    }

    /// Recomputes an utterance's checksums against the manifest.
    public func verify(_ utterance: Utterance) throws {
        let audio = audioData[utterance.audioOffset..<(utterance.audioOffset + utterance.audioByteCount)]
        let mel = melData[utterance.melOffset..<(utterance.melOffset + utterance.melByteCount(melBins: melBins))]
        guard SHA256.hex(audio) == utterance.audioSHA256, SHA256.hex(mel) == utterance.melSHA256 else {
            throw CorpusError.corruptStore(path: layout.root.path, reason: "checksum mismatch for \(utterance.id)")
        }
    }

    /// Per-bin mean / std of the train split's log-mel (normalise with it before training).
    public func melStatistics() throws -> MelStatistics {
        try decode(MelStatistics.self, layout.melStatistics)
    }

    public func sentencePool() throws -> SentencePool { try decode(SentencePool.self, layout.sentences) }
    public func taskA() throws -> [TaskAItem] { try decode([TaskAItem].self, layout.taskA) }
    public func taskB() throws -> [TaskBItem] { try decode([TaskBItem].self, layout.taskB) }

    private func decode<T: Decodable>(_ type: T.Type, _ file: URL) throws -> T {
        do { return try JSONDecoder().decode(type, from: Data(contentsOf: file)) } catch {
            throw CorpusError.corruptStore(path: file.path, reason: "\(error)")
        }
    }

    private func checkRange(_ data: Data, offset: Int, bytes: Int, what: String) throws {
        guard offset >= 0, offset + bytes <= data.count else {
            throw CorpusError.corruptStore(path: layout.root.path, reason: "\(what) lies outside the binary file")
        }
    }
}
