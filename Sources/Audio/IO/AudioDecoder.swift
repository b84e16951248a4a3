import CSndFile
import Foundation

/// What a decoded stream looked like before down-mixing and resampling.
public struct AudioSourceInfo: Sendable, Equatable {
    public var sampleRate: Int
    public var channels: Int
    /// Sample frames (one sample per channel) in the stream.
    public var frames: Int
    /// libsndfile's major format, e.g. "WAV", "FLAC", "OGG".
    public var container: String
}

/// Decodes WAV, FLAC, OGG/Vorbis (anything libsndfile reads: 8-32 bit integer, float, any rate,
/// any channel count) to mono Float samples at the internal 16 kHz rate.
///
/// Pipeline: open (file or memory) -> check header against limits -> read interleaved frames
/// (integer formats are scaled to [-1, 1) by libsndfile) -> average the channels -> resample.
/// Every failure is an `AudioError`; nothing traps on malformed input.
public enum AudioDecoder {
    /// Decodes an in-memory file (an HTTP upload). `targetSampleRate` nil keeps the source rate.
    public static func decode(bytes: [UInt8], targetSampleRate: Int? = internalSampleRate,
                              limits: AudioDecodingLimits = .default) throws(AudioError) -> Waveform {
        guard !bytes.isEmpty else { throw .notAudio(reason: "empty input") }
        let stream = MemoryStream(bytes: bytes)
        var io = MemoryStream.virtualIO
        var info = SF_INFO()
        let context = Unmanaged.passUnretained(stream).toOpaque()
        let handle = withExtendedLifetime(stream) { sf_open_virtual(&io, Int32(SFM_READ), &info, context) }
        return try withExtendedLifetime(stream) { () throws(AudioError) -> Waveform in
            try finishDecoding(handle: handle, info: info, targetSampleRate: targetSampleRate, limits: limits).0
        }
    }

    /// Decodes an in-memory file given as `Data`.
    public static func decode(data: Data, targetSampleRate: Int? = internalSampleRate,
                              limits: AudioDecodingLimits = .default) throws(AudioError) -> Waveform {
        try decode(bytes: [UInt8](data), targetSampleRate: targetSampleRate, limits: limits)
    }

    /// Decodes a file on disk.
    public static func decode(path: String, targetSampleRate: Int? = internalSampleRate,
                              limits: AudioDecodingLimits = .default) throws(AudioError) -> Waveform {
        try decodeWithInfo(path: path, targetSampleRate: targetSampleRate, limits: limits).waveform
    }

    /// Decodes a file on disk and also reports the source's rate, channels and container.
    public static func decodeWithInfo(path: String, targetSampleRate: Int? = internalSampleRate,
                                      limits: AudioDecodingLimits = .default)
        throws(AudioError) -> (waveform: Waveform, source: AudioSourceInfo) {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .fileAccess(path: path, reason: "missing or unreadable")
        }
        var info = SF_INFO()
        let handle = sf_open(path, Int32(SFM_READ), &info)
        let (waveform, source) = try finishDecoding(handle: handle, info: info,
                                                    targetSampleRate: targetSampleRate, limits: limits)
        return (waveform, source)
    }

    /// Shared tail of both entry points: validation, reading, down-mix, resampling. Closes `handle`.
    private static func finishDecoding(handle: OpaquePointer?, info: SF_INFO, targetSampleRate: Int?,
                                       limits: AudioDecodingLimits)
        throws(AudioError) -> (Waveform, AudioSourceInfo) {
        guard let handle else {
            throw .notAudio(reason: String(cString: sf_strerror(nil)))
        }
        defer { sf_close(handle) }
        let rate = Int(info.samplerate), channels = Int(info.channels), frames = Int(info.frames)
        guard limits.sampleRateRange.contains(rate) else { throw .absurdSampleRate(rate) }
        guard (1...limits.maximumChannels).contains(channels) else { throw .unsupportedChannelCount(channels) }
        guard frames > 0 else { throw .zeroSamples }
        let seconds = Double(frames) / Double(rate)
        guard seconds <= limits.maximumSeconds else { throw .tooLong(seconds: seconds, limitSeconds: limits.maximumSeconds) }

        if let promised = promisedFramesBeyondData(handle: handle, frames: frames) {
            throw .truncated(expectedFrames: promised, foundFrames: frames)
        }
        var interleaved = [Float](repeating: 0, count: frames * channels)
        let framesRead = interleaved.withUnsafeMutableBufferPointer { buffer in
            Int(sf_readf_float(handle, buffer.baseAddress, sf_count_t(frames)))
        }
        guard sf_error(handle) == SF_ERR_NO_ERROR || framesRead == frames else {
            throw .notAudio(reason: String(cString: sf_strerror(handle)))
        }
        guard framesRead == frames else { throw .truncated(expectedFrames: frames, foundFrames: framesRead) }
        guard interleaved.allSatisfy({ $0.isFinite }) else { throw .nonFiniteSamples }

        let mono = downmix(interleaved: interleaved, channels: channels)
        let source = AudioSourceInfo(sampleRate: rate, channels: channels, frames: frames,
                                     container: containerName(format: info.format))
        guard let target = targetSampleRate, target != rate else {
            return (Waveform(samples: mono, sampleRate: rate), source)
        }
        let resampled = try Resampler.resample(mono, from: rate, to: target)
        return (Waveform(samples: resampled, sampleRate: target), source)
    }

    /// libsndfile quietly shortens a WAV/AIFF whose data chunk claims more bytes than the file
    /// holds and notes "data : CLAIMED (should be PRESENT)" in its log; a cut-off upload must be
    /// an error, not silently shorter audio. Returns the frames the header promised, if so.
    /// A claimed size of 0 or 0xFFFFFFFF means "unknown" (streaming writers) and is accepted.
    private static func promisedFramesBeyondData(handle: OpaquePointer, frames: Int) -> Int? {
        var log = [CChar](repeating: 0, count: 8192)
        sf_command(handle, Int32(SFC_GET_LOG_INFO), &log, Int32(log.count))
        let text = String(decoding: log.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix("data") && line.contains("should be") {
            let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            guard numbers.count >= 2, numbers[1] > 0 else { continue }
            let (claimed, present) = (numbers[0], numbers[1])
            if claimed == 0 || claimed == 0xFFFF_FFFF || claimed <= present { continue }
            let bytesPerFrame = max(1, present / max(1, frames))  // PCM: a whole number of bytes
            return claimed / bytesPerFrame
        }
        return nil
    }

    /// Mean over channels: (frames, channels) interleaved -> (frames,).
    public static func downmix(interleaved: [Float], channels: Int) -> [Float] {
        guard channels > 1 else { return interleaved }
        let frames = interleaved.count / channels
        var mono = [Float](repeating: 0, count: frames)
        let scale = 1 / Float(channels)
        interleaved.withUnsafeBufferPointer { source in
            mono.withUnsafeMutableBufferPointer { destination in
                for frame in 0..<frames {
                    var sum: Float = 0
                    for channel in 0..<channels { sum += source[frame * channels + channel] }
                    destination[frame] = sum * scale
                }
            }
        }
        return mono
    }

    private static func containerName(format: Int32) -> String {
        switch format & Int32(SF_FORMAT_TYPEMASK) {
        case Int32(SF_FORMAT_WAV), Int32(SF_FORMAT_WAVEX): return "WAV"
        case Int32(SF_FORMAT_FLAC): return "FLAC"
        case Int32(SF_FORMAT_OGG): return "OGG"
        case Int32(SF_FORMAT_AIFF): return "AIFF"
        case Int32(SF_FORMAT_RF64): return "RF64"
        default: return String(format: "0x%06x", format & Int32(SF_FORMAT_TYPEMASK))
        }
    }
}
