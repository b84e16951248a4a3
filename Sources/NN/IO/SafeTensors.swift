import Foundation

/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
/// `{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {String: String}}`,
/// then the raw little-endian tensor bytes. Readable by PyTorch and numpy as they are.
public enum SafeTensorsDType: String, Codable, Sendable, CaseIterable {
    case f32 = "F32", f16 = "F16", bf16 = "BF16"
    var byteWidth: Int { self == .f32 ? 4 : 2 }
}

public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
    case truncated(String)
    case badHeader(String)
    case unsupportedDType(tensor: String, dtype: String)
    case badOffsets(tensor: String)
    case missingTensor(String)
    case unexpectedTensor(String)
    case shapeMismatch(tensor: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case .truncated(let s): return "safetensors file is truncated: \(s)"
        case .badHeader(let s): return "safetensors header is invalid: \(s)"
        case .unsupportedDType(let t, let d): return "tensor \(t) has unsupported dtype \(d) (F32, F16, BF16 are read)"
        case .badOffsets(let t): return "tensor \(t) has data offsets that do not match its shape or the file"
        case .missingTensor(let t): return "tensor \(t) is missing from the file"
        case .unexpectedTensor(let t): return "the file holds tensor \(t), which the model does not have"
        case .shapeMismatch(let t, let e, let f): return "tensor \(t) has shape \(f), expected \(e)"
        }
    }
}

/// One tensor as stored: dtype, shape and values widened to Float32.
public struct StoredTensor: Equatable, Sendable {
    public var dtype: SafeTensorsDType
    public var shape: [Int]
    public var values: [Float]
    public init(dtype: SafeTensorsDType, shape: [Int], values: [Float]) {
        self.dtype = dtype; self.shape = shape; self.values = values
    }
}

public struct SafeTensorsFile: Sendable {
    /// Tensors in file order.
    public var tensors: [(name: String, tensor: StoredTensor)] = []
    public var metadata: [String: String] = [:]

    public init(tensors: [(name: String, tensor: StoredTensor)] = [], metadata: [String: String] = [:]) {
        self.tensors = tensors; self.metadata = metadata
    }

    public subscript(name: String) -> StoredTensor? { tensors.first { $0.name == name }?.tensor }

    /// Largest header we accept: a sane file's header is kilobytes; this bounds memory on garbage.
    static let maxHeaderBytes = 100_000_000

    public init(data: Data) throws {
        guard data.count >= 8 else { throw SafeTensorsError.truncated("\(data.count) bytes, no header length") }
        let headerLength = data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength <= UInt64(Self.maxHeaderBytes) else {
            throw SafeTensorsError.badHeader("header length \(headerLength) is implausible")
        }
        guard data.count >= 8 + Int(headerLength) else {
            throw SafeTensorsError.truncated("header needs \(headerLength) bytes, file has \(data.count - 8)")
        }
        let headerData = data.subdata(in: 8..<(8 + Int(headerLength)))
        guard let header = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any] else {
            throw SafeTensorsError.badHeader("not a JSON object")
        }
        let body = data.subdata(in: (8 + Int(headerLength))..<data.count)
        var entries: [(name: String, begin: Int, tensor: StoredTensor)] = []
        for (name, value) in header {
            if name == "__metadata__" {
                guard let m = value as? [String: String] else { throw SafeTensorsError.badHeader("__metadata__ must map strings to strings") }
                metadata = m
                continue
            }
            guard let info = value as? [String: Any], let dtypeName = info["dtype"] as? String,
                  let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int], offsets.count == 2
            else { throw SafeTensorsError.badHeader("entry \(name) lacks dtype, shape or data_offsets") }
            guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
                throw SafeTensorsError.unsupportedDType(tensor: name, dtype: dtypeName)
            }
            guard shape.allSatisfy({ $0 >= 0 }) else { throw SafeTensorsError.badOffsets(tensor: name) }
            let count = shape.reduce(1, *)
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, end - begin == count * dtype.byteWidth else { throw SafeTensorsError.badOffsets(tensor: name) }
            guard end <= body.count else { throw SafeTensorsError.truncated("tensor \(name) ends at byte \(end) of \(body.count)") }
            let values = Self.decode(body, from: begin, count: count, dtype: dtype)
            entries.append((name, begin, StoredTensor(dtype: dtype, shape: shape, values: values)))
        }
        tensors = entries.sorted { $0.begin < $1.begin }.map { ($0.name, $0.tensor) }
    }

    public init(contentsOf url: URL) throws {
        try self.init(data: try Data(contentsOf: url, options: .mappedIfSafe))
    }

    private static func decode(_ body: Data, from begin: Int, count: Int, dtype: SafeTensorsDType) -> [Float] {
        body.withUnsafeBytes { raw in
            let p = raw.baseAddress! + begin
            switch dtype {
            case .f32: return (0..<count).map { Float(bitPattern: UInt32(littleEndian: (p + 4 * $0).loadUnaligned(as: UInt32.self))) }
            case .f16: return (0..<count).map { floatFromFloat16(UInt16(littleEndian: (p + 2 * $0).loadUnaligned(as: UInt16.self))) }
            case .bf16: return (0..<count).map { floatFromBFloat16(UInt16(littleEndian: (p + 2 * $0).loadUnaligned(as: UInt16.self))) }
            }
        }
    }

    /// Serialises every tensor in its own dtype (values are rounded to it).
    public func serialized() throws -> Data {
        var header: [String: Any] = [:]
        var offset = 0
        for (name, t) in tensors {
            let bytes = t.values.count * t.dtype.byteWidth
            header[name] = ["dtype": t.dtype.rawValue, "shape": t.shape, "data_offsets": [offset, offset + bytes]] as [String: Any]
            offset += bytes
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
        while (8 + json.count) % 8 != 0 { json.append(0x20) }
        var out = Data(count: 8 + json.count + offset)
        out.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: UInt64(json.count).littleEndian, toByteOffset: 0, as: UInt64.self)
            json.copyBytes(to: raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + 8, count: json.count)
            var at = 8 + json.count
            for (_, t) in tensors {
                for v in t.values {
                    switch t.dtype {
                    case .f32: raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: at, as: UInt32.self)
                    case .f16: raw.storeBytes(of: float16Bits(v).littleEndian, toByteOffset: at, as: UInt16.self)
                    case .bf16: raw.storeBytes(of: bfloat16Bits(v).littleEndian, toByteOffset: at, as: UInt16.self)
                    }
                    at += t.dtype.byteWidth
                }
            }
        }
        return out
    }

    public func write(to url: URL) throws { try writeAtomically(try serialized(), to: url) }
}
