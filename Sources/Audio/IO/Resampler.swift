import CSampleRate

/// Band-limited sample-rate conversion through libsamplerate (Secret Rabbit Code).
public enum Resampler {
    /// libsamplerate converter; sinc converters are band-limited (no aliasing into speech bands).
    public enum Quality: Sendable {
        /// SRC_SINC_MEDIUM_QUALITY: 121 dB SNR, 90% bandwidth; the default for uploads.
        case sincMedium
        /// SRC_SINC_BEST_QUALITY: 145 dB SNR, 97% bandwidth; a few times slower.
        case sincBest

        var converter: Int32 {
            switch self {
            case .sincMedium: return Int32(SRC_SINC_MEDIUM_QUALITY)
            case .sincBest: return Int32(SRC_SINC_BEST_QUALITY)
            }
        }
    }

    /// Resamples mono `samples` from `sourceRate` to `targetRate` Hz.
    /// Output length is round(N * targetRate / sourceRate) (libsamplerate may give a frame less).
    public static func resample(_ samples: [Float], from sourceRate: Int, to targetRate: Int,
                                quality: Quality = .sincMedium) throws(AudioError) -> [Float] {
        guard sourceRate > 0 else { throw .absurdSampleRate(sourceRate) }
        guard targetRate > 0 else { throw .absurdSampleRate(targetRate) }
        if sourceRate == targetRate || samples.isEmpty { return samples }
        let ratio = Double(targetRate) / Double(sourceRate)
        guard src_is_valid_ratio(ratio) != 0 else {
            throw .resamplingFailed(reason: "ratio \(ratio) outside libsamplerate's 1/256...256")
        }
        let capacity = Int((Double(samples.count) * ratio).rounded(.up)) + 16
        var output = [Float](repeating: 0, count: capacity)
        var generated = 0
        let status: Int32 = samples.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                var data = SRC_DATA()
                data.data_in = input.baseAddress
                data.data_out = out.baseAddress
                data.input_frames = Int(input.count)
                data.output_frames = Int(out.count)
                data.src_ratio = ratio
                let status = src_simple(&data, quality.converter, 1)
                generated = Int(data.output_frames_gen)
                return status
            }
        }
        guard status == 0 else { throw .resamplingFailed(reason: String(cString: src_strerror(status))) }
        output.removeLast(output.count - generated)
        return output
    }
}
