import Foundation
import NN

/// fp16 little-endian <-> Float for the mel file, and Int16 little-endian -> Float for audio.
enum MelCoding {
    /// `count` fp16 values starting `byteOffset` bytes into `data`.
    static func decode(_ data: Data, byteOffset: Int, count: Int) -> [Float] {
        var result = [Float](repeating: 0, count: count)
        data.withUnsafeBytes { raw in
            for i in 0..<count {
                let bits = UInt16(raw[byteOffset + 2 * i]) | UInt16(raw[byteOffset + 2 * i + 1]) << 8
                result[i] = floatFromFloat16(bits)
            }
        }
        return result
    }

    /// `count` Int16 samples starting `byteOffset` bytes into `data`, scaled by 1/32768.
    static func decodePCM16(_ data: Data, byteOffset: Int, count: Int) -> [Float] {
        var result = [Float](repeating: 0, count: count)
        data.withUnsafeBytes { raw in
            for i in 0..<count {
                let bits = UInt16(raw[byteOffset + 2 * i]) | UInt16(raw[byteOffset + 2 * i + 1]) << 8
                result[i] = Float(Int16(bitPattern: bits)) * UtteranceRenderer.pcmReadScale
            }
        }
        return result
    }
}
