import Foundation
import Testing
@testable import Audio

/// Every malformed input is a typed `AudioError`, never a crash.
@Suite("Audio bad input")
struct AudioBadInputTests {
    let wav = try! AudioEncoder.wavBytes(Waveform(samples: SignalFixtures.tone(frequency: 440, seconds: 1),
                                                  sampleRate: 16_000))

    private func decodeError(_ bytes: [UInt8], limits: AudioDecodingLimits = .default) -> AudioError? {
        do { _ = try AudioDecoder.decode(bytes: bytes, limits: limits); return nil } catch { return error }
    }

    @Test func emptyBytesAreNotAudio() {
        guard case .notAudio = decodeError([]) else { Issue.record("expected notAudio"); return }
    }

    @Test func textAndRandomBytesAreNotAudio() {
        var generator = SplitMix64(seed: 7)
        let random = (0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        for bytes in [Array("hello, this is not a wav file".utf8), random] {
            guard case .notAudio = decodeError(bytes) else { Issue.record("expected notAudio"); continue }
        }
    }

    @Test func dataCutShortIsTruncated() {
        let cut = Array(wav.prefix(wav.count - 10_001))
        #expect(decodeError(cut) == .truncated(expectedFrames: 16_000, foundFrames: (cut.count - 44) / 2))
    }

    @Test func headerCutShortIsRejected() {
        for length in [4, 12, 30, 43] {
            switch decodeError(Array(wav.prefix(length))) {
            case .notAudio?, .truncated?, .zeroSamples?: break
            case let other: Issue.record("a \(length)-byte header gave \(String(describing: other))")
            }
        }
    }

    @Test func zeroSamplesIsRejected() throws {
        let empty = try AudioEncoder.wavBytes(Waveform(samples: [], sampleRate: 16_000))
        #expect(decodeError(empty) == .zeroSamples)
    }

    @Test func tooLongIsRejectedBeforeReading() {
        let limits = AudioDecodingLimits(maximumSeconds: 0.5)
        #expect(decodeError(wav, limits: limits) == .tooLong(seconds: 1, limitSeconds: 0.5))
    }

    /// A WAV header patched to claim 1 Hz or 2 GHz; libsndfile opens both, our limits refuse.
    @Test(arguments: [1, 3_000, 2_000_000_000])
    func absurdSampleRateIsRejected(rate: Int) {
        var patched = wav
        withUnsafeBytes(of: UInt32(rate).littleEndian) { for i in 0..<4 { patched[24 + i] = $0[i] } }
        let error = decodeError(patched)
        if case .absurdSampleRate(let reported) = error { #expect(reported == rate) }
        else if case .notAudio = error {} // libsndfile may refuse such a header itself: also fine
        else { Issue.record("unexpected \(String(describing: error))") }
    }

    @Test func tooManyChannelsIsRejected() throws {
        let bytes = try AudioEncoder.encode(interleaved: [Float](repeating: 0, count: 80), channels: 8,
                                            sampleRate: 16_000, format: .wavPCM16)
        #expect(decodeError(bytes, limits: AudioDecodingLimits(maximumChannels: 2)) == .unsupportedChannelCount(8))
    }

    @Test func nonFiniteFloatSamplesAreRejected() throws {
        let bytes = try AudioEncoder.wavBytes(Waveform(samples: [0, .nan, 0.5], sampleRate: 16_000), encoding: .float32)
        #expect(decodeError(bytes) == .nonFiniteSamples)
    }

    @Test func missingFileIsFileAccess() {
        #expect(throws: AudioError.fileAccess(path: "/nonexistent/x.wav", reason: "missing or unreadable")) {
            _ = try AudioDecoder.decode(path: "/nonexistent/x.wav")
        }
    }

    @Test func unwritableFormatsAndPathsAreTypedErrors() {
        #expect(throws: AudioError.self) {
            _ = try AudioEncoder.encode(interleaved: [0], channels: 1, sampleRate: 16_000,
                                        format: AudioFileFormat(container: .flac, encoding: .float32))
        }
        #expect(throws: AudioError.self) {
            try AudioEncoder.writeWAV(Waveform(samples: [0], sampleRate: 16_000), to: "/nonexistent/dir/x.wav")
        }
        #expect(throws: AudioError.absurdSampleRate(0)) {
            _ = try AudioEncoder.wavBytes(Waveform(samples: [0], sampleRate: 0))
        }
    }
}
