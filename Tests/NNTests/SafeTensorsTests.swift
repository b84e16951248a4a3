import Foundation
import NN
import Testing

@Suite struct SafeTensorsTests {
    static func fixtureURL(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)!
    }

    static func smallParameters() -> ParameterSet {
        var layout = Layout()
        layout.add("w", [3, 5]); layout.add("norm", [5])
        let params = ParameterSet(layout: layout)
        var rng = RNG(seed: 3)
        rng.fillNormal(params.values.base, count: params.values.count)
        return params
    }

    @Test func roundTripIsBitExact() throws {
        let params = Self.smallParameters()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rt-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try params.save(to: url, metadata: ["step": "7"])
        let again = ParameterSet(layout: params.layout)
        try again.load(contentsOf: url)
        for e in params.layout.entries {
            let a = UnsafeBufferPointer(start: params.values.pointer(at: e.offset), count: e.count).map(\.bitPattern)
            let b = UnsafeBufferPointer(start: again.values.pointer(at: e.offset), count: e.count).map(\.bitPattern)
            #expect(a == b, "tensor \(e.name) changed in the round trip")
        }
        #expect(try SafeTensorsFile(contentsOf: url).metadata == ["step": "7"])
    }

    @Test(arguments: [SafeTensorsDType.f16, .bf16])
    func halfPrecisionRoundTrip(dtype: SafeTensorsDType) throws {
        // Values exactly representable in both 16-bit formats survive exactly; others within rounding.
        let exact: [Float] = [0, 1, -2, 0.5, 1.5, -0.125, 3, 96]
        let file = SafeTensorsFile(tensors: [("x", StoredTensor(dtype: dtype, shape: [8], values: exact))])
        let back = try SafeTensorsFile(data: try file.serialized())
        #expect(back["x"]?.values == exact)
        let pi = SafeTensorsFile(tensors: [("p", StoredTensor(dtype: dtype, shape: [1], values: [.pi]))])
        let rounded = try SafeTensorsFile(data: try pi.serialized())["p"]!.values[0]
        #expect(abs(rounded - .pi) < (dtype == .f16 ? 2e-3 : 2e-2))
    }

    @Test func readsAFileWrittenByNumpy() throws {
        let file = try SafeTensorsFile(contentsOf: Self.fixtureURL("numpy.safetensors"))
        #expect(file.metadata["writer"] == "numpy")
        #expect(file["a"]?.shape == [2, 3] && file["a"]?.dtype == .f32)
        #expect(file["a"]?.values == (0..<6).map { Float($0) * 0.5 - 1 })
        #expect(file["half"]?.dtype == .f16)
        #expect(file["half"]?.values == (0..<8).map { Float($0) / 4 - 1 })
        let m = file["matrix"]!
        #expect(m.shape == [3, 4])
        for (i, v) in m.values.enumerated() { #expect(abs(v - (-2 + 4 * Float(i) / 11)) < 1e-6) }
    }

    @Test func loadNamesTheWrongTensor() throws {
        let params = Self.smallParameters()
        var file = params.safeTensors()
        file.tensors[1].tensor.shape = [6]
        file.tensors[1].tensor.values.append(0)
        #expect(throws: SafeTensorsError.shapeMismatch(tensor: "norm", expected: [5], found: [6])) {
            try ParameterSet(layout: params.layout).load(file)
        }
        var missing = params.safeTensors()
        missing.tensors.removeFirst()
        #expect(throws: SafeTensorsError.missingTensor("w")) { try ParameterSet(layout: params.layout).load(missing) }
        var extra = params.safeTensors()
        extra.tensors.append(("stray", StoredTensor(dtype: .f32, shape: [1], values: [0])))
        #expect(throws: SafeTensorsError.unexpectedTensor("stray")) { try ParameterSet(layout: params.layout).load(extra) }
    }

    @Test func truncatedOrCorruptFilesAreErrors() throws {
        let data = try Self.smallParameters().safeTensors().serialized()
        // Every proper prefix is rejected with an error, never a crash.
        for cut in [0, 4, 8, 20, data.count / 2, data.count - 1] {
            #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(data: data.prefix(cut)) }
        }
        var garbage = data
        garbage.replaceSubrange(8..<12, with: [0x7B, 0x7B, 0x7B, 0x7B])
        #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(data: garbage) }
        var huge = data
        huge.replaceSubrange(0..<8, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(data: huge) }
        let badType = #"{"x":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#
        var typed = Data()
        withUnsafeBytes(of: UInt64(badType.utf8.count).littleEndian) { typed.append(contentsOf: $0) }
        typed.append(contentsOf: Array(badType.utf8) + Array(repeating: 0, count: 8))
        #expect(throws: SafeTensorsError.unsupportedDType(tensor: "x", dtype: "I64")) { try SafeTensorsFile(data: typed) }
    }
}
