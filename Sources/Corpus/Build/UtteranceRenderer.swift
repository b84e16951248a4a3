import Audio
import Foundation
import NN

/// One utterance's stored form: the bytes for audio.pcm16 and mel.f16 and its manifest record
/// (offsets relative to its shard until the store is assembled).
struct RenderedUtterance {
    var record: Utterance
    var audioBytes: [UInt8]
    var melBytes: [UInt8]
}

/// Engine output -> trimmed, loudness-normalised 16-bit audio -> log-mel of exactly that audio.
struct UtteranceRenderer {
    var synthesizer: EngineSynthesizer
    var trimmer: SilenceTrimmer
    var loudness: LoudnessNormalizer
    var extractor: LogMelExtractor

    /// Int16 full scale: sample = round(x * 32767), read back as sample / 32768 (libsndfile's convention).
    static let pcmScale: Float = 32767
    static let pcmReadScale: Float = 1 / 32768

    func render(_ planned: PlannedUtterance, voice: Voice, scratch: URL) throws -> RenderedUtterance {
        let output = try synthesizer.synthesize(planned.text, voice: voice, scratch: scratch)
        let rate = output.waveform.sampleRate
        guard let range = trimmer.speechRange(output.waveform.samples, sampleRate: rate) else {
            throw CorpusError.engineFailed(command: "\(voice.engine.rawValue) (\(voice.id))", reason: "silent output for \"\(planned.text)\"")
        }
        let normalised = loudness.normalize(Array(output.waveform.samples[range]))
        var pcm = [Int16](repeating: 0, count: normalised.count)
        for (i, x) in normalised.enumerated() { pcm[i] = Int16((max(-1, min(1, x)) * Self.pcmScale).rounded()).littleEndian }
        let stored = pcm.map { Float(Int16(littleEndian: $0)) * Self.pcmReadScale }
        let mel = extractor(stored)
        var melHalf = [UInt16](repeating: 0, count: mel.values.count)
        for (i, value) in mel.values.enumerated() { melHalf[i] = float16Bits(value).littleEndian }
        let audioBytes = pcm.withUnsafeBytes { [UInt8]($0) }
        let melBytes = melHalf.withUnsafeBytes { [UInt8]($0) }

        let trimmedStart = Double(range.lowerBound) / Double(rate)
        let duration = Double(pcm.count) / Double(rate)
        let timings = output.timings.map { PhoneTiming.shifted($0, by: trimmedStart, duration: duration) }
        let record = Utterance(
            id: planned.id, split: planned.split, text: planned.text, phonemes: planned.phonemes,
            phonemeIDs: planned.phonemeIDs, voice: voice.id, engine: voice.engine, settings: voice.settings,
            sampleRate: rate, duration: duration, sampleCount: pcm.count, frameCount: mel.frameCount,
            audioOffset: 0, melOffset: 0, audioSHA256: SHA256.hex(audioBytes), melSHA256: SHA256.hex(melBytes),
            trimmedStart: trimmedStart, timings: timings, timingSource: timings == nil ? nil : output.timingSource)
        return RenderedUtterance(record: record, audioBytes: audioBytes, melBytes: melBytes)
    }
}
