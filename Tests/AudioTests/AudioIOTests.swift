import Foundation
import Testing
@testable import Audio

@Suite("Audio decoding and encoding")
struct AudioIOTests {
    let tone = SignalFixtures.tone(frequency: 440, seconds: 0.5)

    @Test func pcm16RoundTripThroughBytesIsWithinOneLSB() throws {
        let bytes = try AudioEncoder.wavBytes(Waveform(samples: tone, sampleRate: 16_000))
        #expect(bytes.count == 44 + 2 * tone.count)
        let decoded = try AudioDecoder.decode(bytes: bytes)
        #expect(decoded.sampleRate == 16_000)
        #expect(decoded.samples.count == tone.count)
        let worst = zip(decoded.samples, tone).map { abs($0 - $1) }.max()!
        #expect(worst <= 1.0 / 32768)
    }

    @Test func float32RoundTripIsExactAndUnclipped() throws {
        var loud = tone
        loud[10] = 1.75  // float WAV keeps out-of-range samples
        let bytes = try AudioEncoder.wavBytes(Waveform(samples: loud, sampleRate: 16_000), encoding: .float32)
        let decoded = try AudioDecoder.decode(bytes: bytes)
        #expect(decoded.samples == loud)
    }

    @Test func pcm16ClipsInsteadOfWrapping() throws {
        let bytes = try AudioEncoder.wavBytes(Waveform(samples: [1.5, -1.5, 0.25], sampleRate: 16_000))
        let decoded = try AudioDecoder.decode(bytes: bytes).samples
        #expect(decoded[0] > 0.999 && decoded[1] < -0.999)
        #expect(abs(decoded[2] - 0.25) < 1e-4)
    }

    @Test func fileRoundTripAndSourceInfo() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vgpo-\(UUID()).wav").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try AudioEncoder.writeWAV(Waveform(samples: tone, sampleRate: 16_000), to: path)
        let (waveform, source) = try AudioDecoder.decodeWithInfo(path: path)
        #expect(source == AudioSourceInfo(sampleRate: 16_000, channels: 1, frames: tone.count, container: "WAV"))
        #expect(waveform.samples.count == tone.count)
    }

    /// Every container/encoding at 44.1 kHz stereo decodes to 16 kHz mono, down-mixed as the
    /// mean of the channels: left = tone, right = -tone/2 gives tone/4 after mixing.
    @Test(arguments: [
        AudioFileFormat(container: .wav, encoding: .pcm8), .wavPCM16,
        AudioFileFormat(container: .wav, encoding: .pcm24), AudioFileFormat(container: .wav, encoding: .pcm32),
        .wavFloat32, .flac16, AudioFileFormat(container: .flac, encoding: .pcm24), .oggVorbis,
    ])
    func anyFormatRateAndChannelsDecodesToMono16k(format: AudioFileFormat) throws {
        let sourceRate = 44_100
        let left = SignalFixtures.tone(frequency: 440, seconds: 1, sampleRate: sourceRate, amplitude: 0.8)
        var interleaved = [Float](repeating: 0, count: 2 * left.count)
        for n in left.indices { interleaved[2 * n] = left[n]; interleaved[2 * n + 1] = -left[n] / 2 }
        let bytes = try AudioEncoder.encode(interleaved: interleaved, channels: 2, sampleRate: sourceRate, format: format)
        let decoded = try AudioDecoder.decode(bytes: bytes)
        #expect(decoded.sampleRate == 16_000)
        #expect(abs(decoded.samples.count - 16_000) <= 1)
        let body = Array(decoded.samples[1000..<15000])
        let rms = sqrt(body.map { $0 * $0 }.reduce(0, +) / Float(body.count))
        #expect(abs(rms - 0.2 / Float(2).squareRoot()) < 0.01, "rms \(rms) for \(format)")
        let frequency = SignalFixtures.zeroCrossingFrequency(body, sampleRate: 16_000)
        #expect(abs(frequency / 440 - 1) < 0.002, "frequency \(frequency) for \(format)")
    }

    /// Tones keep their frequency and level through resampling to 16 kHz, up to 6 kHz
    /// (SRC_SINC_MEDIUM_QUALITY's passband is 90% of the 8 kHz Nyquist: 7.2 kHz).
    @Test(arguments: [(48_000, 3000.0), (44_100, 1234.5), (22_050, 6000.0), (8_000, 300.0)])
    func resamplingKeepsToneFrequency(sourceRate: Int, frequency: Double) throws {
        let source = SignalFixtures.tone(frequency: frequency, seconds: 1, sampleRate: sourceRate)
        let output = try Resampler.resample(source, from: sourceRate, to: 16_000)
        #expect(abs(output.count - 16_000) <= 1)
        let body = Array(output[800..<15200])
        let measured = SignalFixtures.zeroCrossingFrequency(body, sampleRate: 16_000)
        #expect(abs(measured / frequency - 1) < 1e-3, "measured \(measured) Hz")
        let rms = sqrt(body.map { $0 * $0 }.reduce(0, +) / Float(body.count))
        #expect(abs(rms - 0.5 / Float(2).squareRoot()) < 0.01)
    }

    /// Content above the target Nyquist is removed, not aliased: a 12 kHz tone at 48 kHz
    /// would alias to 4 kHz at 16 kHz without the band-limiting filter.
    @Test func resamplingRemovesContentAboveNewNyquist() throws {
        let source = SignalFixtures.tone(frequency: 12_000, seconds: 0.5, sampleRate: 48_000)
        let output = try Resampler.resample(source, from: 48_000, to: 16_000)
        let body = output[400..<7600]
        let rms = sqrt(body.map { $0 * $0 }.reduce(0, +) / Float(body.count))
        #expect(rms < 1e-3)
    }

    @Test func keepingTheSourceRate() throws {
        let bytes = try AudioEncoder.encode(interleaved: tone, channels: 1, sampleRate: 22_050, format: .wavPCM16)
        let decoded = try AudioDecoder.decode(bytes: bytes, targetSampleRate: nil)
        #expect(decoded.sampleRate == 22_050 && decoded.samples.count == tone.count)
    }
}
