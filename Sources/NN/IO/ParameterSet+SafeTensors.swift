import Foundation

extension Layout {
    /// The tensors of `slab` (laid out by this layout) as a safetensors file, stored as `dtype`.
    public func safeTensors(of slab: Slab, dtype: SafeTensorsDType = .f32, metadata: [String: String] = [:]) -> SafeTensorsFile {
        SafeTensorsFile(
            tensors: entries.map { e in
                (e.name, StoredTensor(dtype: dtype, shape: e.shape,
                                      values: Array(UnsafeBufferPointer(start: slab.pointer(at: e.offset), count: e.count))))
            },
            metadata: metadata)
    }

    /// Fills `slab` from a file that must hold exactly this layout's tensors with its shapes;
    /// the first mismatch is named in the error and nothing is changed.
    public func load(_ file: SafeTensorsFile, into slab: Slab) throws {
        var byName: [String: StoredTensor] = [:]
        for (name, t) in file.tensors { byName[name] = t }
        for e in entries {
            guard let t = byName[e.name] else { throw SafeTensorsError.missingTensor(e.name) }
            guard t.shape == e.shape else { throw SafeTensorsError.shapeMismatch(tensor: e.name, expected: e.shape, found: t.shape) }
        }
        if let extra = file.tensors.first(where: { entry($0.name) == nil }) {
            throw SafeTensorsError.unexpectedTensor(extra.name)
        }
        for e in entries {
            byName[e.name]!.values.withUnsafeBufferPointer { slab.pointer(at: e.offset).update(from: $0.baseAddress!, count: e.count) }
        }
    }
}

extension ParameterSet {
    /// All parameters as a safetensors file, in layout order, stored as `dtype`.
    public func safeTensors(dtype: SafeTensorsDType = .f32, metadata: [String: String] = [:]) -> SafeTensorsFile {
        layout.safeTensors(of: values, dtype: dtype, metadata: metadata)
    }

    public func save(to url: URL, dtype: SafeTensorsDType = .f32, metadata: [String: String] = [:]) throws {
        try safeTensors(dtype: dtype, metadata: metadata).write(to: url)
    }

    /// Loads every parameter, checking that the file has exactly the layout's tensors with
    /// the layout's shapes; the first mismatch is named in the error and nothing is changed.
    public func load(_ file: SafeTensorsFile) throws { try layout.load(file, into: values) }

    public func load(contentsOf url: URL) throws { try load(try SafeTensorsFile(contentsOf: url)) }
}
