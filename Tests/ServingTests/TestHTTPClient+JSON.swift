import Foundation

extension TestHTTPClient {
    /// POSTs `json` (text as given, so tests can send malformed bodies) with a JSON content type.
    static func postJSON(port: Int, _ path: String, _ json: String, contentType: String = "application/json",
                         receiveTimeout: Int = defaultReceiveTimeout) throws -> Reply {
        try send(port: port, "POST", path, headers: [("Content-Type", contentType)], body: Array(json.utf8), receiveTimeout: receiveTimeout)
    }

    /// POSTs a JSON object built from a dictionary.
    static func postJSON(port: Int, _ path: String, object: [String: Any], receiveTimeout: Int = defaultReceiveTimeout) throws -> Reply {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return try postJSON(port: port, path, String(decoding: data, as: UTF8.self), receiveTimeout: receiveTimeout)
    }
}

/// Test audio: WAV bytes of a short harmonic tone, a stand-in for an uploaded prompt.
enum TestAudio {
    static func toneWAV(seconds: Double = 1, sampleRate: Int = 22_050) -> [UInt8] {
        let count = Int(seconds * Double(sampleRate))
        var samples = [Float](repeating: 0, count: count)
        for i in 0..<count {
            let t = Double(i) / Double(sampleRate)
            samples[i] = Float(0.3 * sin(2 * .pi * 140 * t) + 0.1 * sin(2 * .pi * 280 * t))
        }
        // A minimal RIFF/WAVE header for 16-bit mono PCM.
        var bytes: [UInt8] = []
        func append32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        func append16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        bytes += Array("RIFF".utf8); append32(UInt32(36 + 2 * count)); bytes += Array("WAVEfmt ".utf8)
        append32(16); append16(1); append16(1); append32(UInt32(sampleRate)); append32(UInt32(2 * sampleRate))
        append16(2); append16(16); bytes += Array("data".utf8); append32(UInt32(2 * count))
        for sample in samples { append16(UInt16(bitPattern: Int16(sample * 32_767))) }
        return bytes
    }
}
