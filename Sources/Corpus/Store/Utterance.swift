/// One manifest line (manifest.jsonl): an utterance's text, phonemes, voice, and where its
/// audio and mel features are in the store's binary files.
///
/// Audio: `sampleCount` little-endian Int16 samples at `sampleRate` (16 kHz), starting
/// `audioOffset` bytes into audio.pcm16. Mel: `frameCount` x 80 little-endian IEEE fp16 log-mel
/// values, frame-major ((T, M) row-major), starting `melOffset` bytes into mel.f16; computed from
/// exactly the stored 16-bit audio with Audio's LogMelExtractor (n_fft 1024, hop 256).
public struct Utterance: Codable, Equatable, Sendable {
    /// "<split>-<index>", e.g. "train-000042"; stable for a seed and size.
    public var id: String
    public var split: CorpusSplit
    public var text: String
    /// Phoneme tokens of `text` from Text.Phonemizer (en-us, whatever the voice's accent).
    public var phonemes: [String]
    /// `phonemes` as PhonemeVocabulary.standard ids (the vocabulary version is in corpus.json).
    public var phonemeIDs: [Int32]
    /// Voice id (voices.json).
    public var voice: String
    public var engine: Engine
    public var settings: VoiceSettings
    public var sampleRate: Int
    /// Seconds of stored (trimmed) audio.
    public var duration: Double
    public var sampleCount: Int
    public var frameCount: Int
    public var audioOffset: Int
    public var melOffset: Int
    /// SHA-256 (hex) of the stored audio bytes and of the stored mel bytes.
    public var audioSHA256: String
    public var melSHA256: String
    /// Seconds cut from the start of the engine's output by trimming (timings are already shifted).
    public var trimmedStart: Double
    /// Phones with start/end seconds in the stored audio, in the engine's phone set; nil when
    /// the engine gives none (espeak-ng through its CLI).
    public var timings: [PhoneTiming]?
    public var timingSource: String?

    /// Bytes of audio (2 per sample) and of mel (2 per value) in the binary files.
    public var audioByteCount: Int { sampleCount * 2 }
    public func melByteCount(melBins: Int) -> Int { frameCount * melBins * 2 }
}
