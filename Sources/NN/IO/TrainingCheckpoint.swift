import Foundation

/// Checkpoints of a training run, for exact resume:
///
///   <dir>/step-NNNNNNN/model.safetensors    parameters (f32)
///   <dir>/step-NNNNNNN/adam.safetensors     AdamW first and second moments ("m." and "v." + name)
///   <dir>/step-NNNNNNN/state.json           the trainer's state (step, optimizer step, ...)
///   <dir>/latest.json                       {"step": N}: the newest complete checkpoint
///
/// Every file is written atomically and `latest.json` last, so a run killed mid-save resumes
/// from the previous checkpoint. Older step folders beyond `keep` are removed.
public enum TrainingCheckpoint {
    struct Latest: Codable { var step: Int }

    public static func folder(_ dir: URL, step: Int) -> URL {
        dir.appendingPathComponent(String(format: "step-%07d", step))
    }

    public static func save<State: Encodable>(_ params: ParameterSet, state: State, step: Int, to dir: URL, keep: Int = 2) throws {
        let folder = folder(dir, step: step)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try params.save(to: folder.appendingPathComponent("model.safetensors"))
        let moments = SafeTensorsFile(tensors: params.layout.entries.flatMap { e in
            [("m." + e.name, tensor(params.firstMoment, e)), ("v." + e.name, tensor(params.secondMoment, e))]
        })
        try moments.write(to: folder.appendingPathComponent("adam.safetensors"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeAtomically(try encoder.encode(state), to: folder.appendingPathComponent("state.json"))
        try writeAtomically(try JSONEncoder().encode(Latest(step: step)), to: dir.appendingPathComponent("latest.json"))
        let old = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("step-") }.sorted().dropLast(keep)
        for name in old { try? FileManager.default.removeItem(at: dir.appendingPathComponent(name)) }
    }

    /// Loads the newest checkpoint into `params` (values and moments) and returns its state;
    /// nil when the folder holds none.
    public static func loadLatest<State: Decodable>(_ params: ParameterSet, from dir: URL, as: State.Type) throws -> State? {
        guard let step = latestStep(in: dir) else { return nil }
        return try load(params, from: dir, step: step, as: State.self)
    }

    /// The step of the newest complete checkpoint in `dir`, if any.
    public static func latestStep(in dir: URL) -> Int? {
        guard let data = try? Data(contentsOf: dir.appendingPathComponent("latest.json")) else { return nil }
        return try? JSONDecoder().decode(Latest.self, from: data).step
    }

    /// Loads the checkpoint of `step` into `params` (values and moments) and returns its state.
    public static func load<State: Decodable>(_ params: ParameterSet, from dir: URL, step: Int, as: State.Type) throws -> State {
        let folder = folder(dir, step: step)
        try params.load(contentsOf: folder.appendingPathComponent("model.safetensors"))
        let moments = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("adam.safetensors"))
        for e in params.layout.entries {
            for (prefix, slab) in [("m.", params.firstMoment), ("v.", params.secondMoment)] {
                guard let t = moments[prefix + e.name], t.shape == e.shape else {
                    throw SafeTensorsError.missingTensor(prefix + e.name)
                }
                t.values.withUnsafeBufferPointer { slab.pointer(at: e.offset).update(from: $0.baseAddress!, count: e.count) }
            }
        }
        return try JSONDecoder().decode(State.self, from: Data(contentsOf: folder.appendingPathComponent("state.json")))
    }

    static func tensor(_ slab: Slab, _ e: Layout.Entry) -> StoredTensor {
        StoredTensor(dtype: .f32, shape: e.shape, values: Array(UnsafeBufferPointer(start: slab.pointer(at: e.offset), count: e.count)))
    }
}
