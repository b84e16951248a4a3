import ARDM
import Foundation
import NN

extension Pretrainer {
    static let checkpointFolder = "checkpoint"
    /// The weight average's model folder, inside the checkpoint folder.
    static let averageFolder = "average"

    /// Writes the checkpoint folder beside the old one and swaps them, so a crash at any moment
    /// leaves a complete checkpoint (`checkpoint/` or, mid-swap, `checkpoint.old/`).
    public func saveCheckpoint() throws {
        let fm = FileManager.default
        let final = runDirectory.appendingPathComponent(Self.checkpointFolder)
        let temporary = runDirectory.appendingPathComponent(Self.checkpointFolder + ".tmp")
        let old = runDirectory.appendingPathComponent(Self.checkpointFolder + ".old")
        try? fm.removeItem(at: temporary)
        try model.save(to: temporary, dtype: .f32, auxiliaryPhoneNames: phones.names,
                       provenance: ["step": "\(state.step)", "corpus": config.corpus, "seed": "\(config.seed)"])
        let layout = model.params.layout
        try layout.safeTensors(of: model.params.firstMoment).write(to: temporary.appendingPathComponent("adam_m.safetensors"))
        try layout.safeTensors(of: model.params.secondMoment).write(to: temporary.appendingPathComponent("adam_v.safetensors"))
        if let weightAverage, let since = state.averageSince {
            try model.save(to: temporary.appendingPathComponent(Self.averageFolder), dtype: .f32, weights: weightAverage.values,
                           auxiliaryPhoneNames: phones.names,
                           provenance: ["step": "\(state.step)", "corpus": config.corpus, "seed": "\(config.seed)",
                                        "average_decay": "\(weightAverage.decay)", "average_since": "\(since)"])
        }
        try JSONFile.write(state, to: temporary.appendingPathComponent("state.json"))
        try? fm.removeItem(at: old)
        if fm.fileExists(atPath: final.path) { try fm.moveItem(at: final, to: old) }
        try fm.moveItem(at: temporary, to: final)
        try? fm.removeItem(at: old)
    }

    /// The newest complete checkpoint folder of a run (`checkpoint/`, or mid-swap
    /// `checkpoint.old/`), if any.
    static func newestCheckpoint(at run: URL) -> URL? {
        [checkpointFolder, checkpointFolder + ".old"].map { run.appendingPathComponent($0) }.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("state.json").path)
        }
    }

    /// Restores model, moments and run state from a checkpoint folder.
    static func loadCheckpoint(model: ARDM, from folder: URL) throws -> RunState {
        do {
            let (saved, _) = try ARDM.load(from: folder)
            guard saved.config == model.config else {
                throw TrainingError.badCheckpoint(path: folder.path, reason: "its model config differs from the recipe's")
            }
            model.params.values.copy(from: saved.params.values)
            let layout = model.params.layout
            try layout.load(try SafeTensorsFile(contentsOf: folder.appendingPathComponent("adam_m.safetensors")), into: model.params.firstMoment)
            try layout.load(try SafeTensorsFile(contentsOf: folder.appendingPathComponent("adam_v.safetensors")), into: model.params.secondMoment)
            return try JSONFile.read(RunState.self, from: folder.appendingPathComponent("state.json"))
        } catch let error as TrainingError {
            throw error
        } catch {
            throw TrainingError.badCheckpoint(path: folder.path, reason: "\(error)")
        }
    }

    /// Restores the weight average saved in a checkpoint folder: its weights file is read like
    /// the moments, every tensor checked against the layout (the folder's config is the
    /// checkpoint's, already checked).
    static func loadAverage(into average: WeightAverage, layout: Layout, from checkpoint: URL) throws {
        let folder = checkpoint.appendingPathComponent(averageFolder)
        do {
            try layout.load(try SafeTensorsFile(contentsOf: folder.appendingPathComponent(ARDM.weightsFile)), into: average.values)
        } catch {
            throw TrainingError.badCheckpoint(path: folder.path, reason: "the run keeps a weight average and this one cannot be read: \(error)")
        }
    }
}
