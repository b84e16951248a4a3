import CSndFile
import Foundation

/// Writes audio through libsndfile, to memory (HTTP responses) or to a file.
/// Integer encodings clip samples to [-1, 1] (libsndfile's clipping mode: no wrap-around).
public enum AudioEncoder {
    /// WAV bytes of mono audio: 16-bit PCM by default, or `.float32` on request.
    public static func wavBytes(_ waveform: Waveform,
                                encoding: AudioFileFormat.Encoding = .pcm16) throws(AudioError) -> [UInt8] {
        try encode(interleaved: waveform.samples, channels: 1, sampleRate: waveform.sampleRate,
                   format: AudioFileFormat(container: .wav, encoding: encoding))
    }

    /// Writes a mono WAV file at `path` (replacing it).
    public static func writeWAV(_ waveform: Waveform, to path: String,
                                encoding: AudioFileFormat.Encoding = .pcm16) throws(AudioError) {
        try write(interleaved: waveform.samples, channels: 1, sampleRate: waveform.sampleRate,
                  format: AudioFileFormat(container: .wav, encoding: encoding), to: path)
    }

    /// Encodes interleaved frames, shape (frames, channels), into a file's bytes.
    public static func encode(interleaved: [Float], channels: Int, sampleRate: Int,
                              format: AudioFileFormat) throws(AudioError) -> [UInt8] {
        var info = try header(channels: channels, sampleRate: sampleRate, format: format)
        let stream = MemoryStream()
        var io = MemoryStream.virtualIO
        let context = Unmanaged.passUnretained(stream).toOpaque()
        try withExtendedLifetime(stream) { () throws(AudioError) in
            let handle = sf_open_virtual(&io, Int32(SFM_WRITE), &info, context)
            try writeAndClose(handle: handle, interleaved: interleaved, channels: channels, format: format)
        }
        return stream.bytes
    }

    /// Encodes interleaved frames, shape (frames, channels), into a file at `path`.
    public static func write(interleaved: [Float], channels: Int, sampleRate: Int,
                             format: AudioFileFormat, to path: String) throws(AudioError) {
        var info = try header(channels: channels, sampleRate: sampleRate, format: format)
        let handle = sf_open(path, Int32(SFM_WRITE), &info)
        guard handle != nil else { throw .fileAccess(path: path, reason: String(cString: sf_strerror(nil))) }
        try writeAndClose(handle: handle, interleaved: interleaved, channels: channels, format: format)
    }

    private static func header(channels: Int, sampleRate: Int, format: AudioFileFormat) throws(AudioError) -> SF_INFO {
        guard sampleRate > 0, sampleRate <= 1_000_000 else { throw .absurdSampleRate(sampleRate) }
        guard channels >= 1, channels <= 1024 else { throw .unsupportedChannelCount(channels) }
        guard let word = format.sndfileFormat else { throw .encodingFailed(reason: "\(format) is not writable") }
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channels)
        info.format = word
        guard sf_format_check(&info) != 0 else {
            throw .encodingFailed(reason: "libsndfile rejects \(format) at \(sampleRate) Hz x \(channels)")
        }
        return info
    }

    private static func writeAndClose(handle: OpaquePointer?, interleaved: [Float], channels: Int,
                                      format: AudioFileFormat) throws(AudioError) {
        guard let handle else { throw .encodingFailed(reason: String(cString: sf_strerror(nil))) }
        if format.isInteger { sf_command(handle, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE)) }
        let frames = interleaved.count / channels
        let written = interleaved.withUnsafeBufferPointer { buffer in
            Int(sf_writef_float(handle, buffer.baseAddress, sf_count_t(frames)))
        }
        let failure = written == frames ? nil : String(cString: sf_strerror(handle))
        let closeStatus = sf_close(handle)
        if let failure { throw .encodingFailed(reason: failure) }
        guard closeStatus == 0 else { throw .encodingFailed(reason: "closing failed (\(closeStatus))") }
    }
}
