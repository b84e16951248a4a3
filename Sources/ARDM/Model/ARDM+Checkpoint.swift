import Audio
import Foundation
import NN

/// A model directory: `model.safetensors` (weights) and `config.json` (everything else needed
/// to run it). The loader checks every tensor's name and shape against the config's layout.
public struct ARDMFileConfig: Codable, Sendable {
    public var format = "vgpo-ardm"
    public var version = 1
    public var model: ARDMConfig
    public var melStatistics: MelStatistics
    /// Names of the auxiliary head's phone classes (engine phones), index = class.
    public var auxiliaryPhoneNames: [String]
    /// Free-form provenance: command, corpus, steps (the model card has the full story).
    public var provenance: [String: String]
}

public enum ARDMCheckpointError: Error, CustomStringConvertible {
    case notAModel(path: String, reason: String)
    public var description: String {
        switch self { case .notAModel(let path, let reason): return "\(path) is not a VGPO ARDM model: \(reason)" }
    }
}

extension ARDM {
    public static let weightsFile = "model.safetensors"
    public static let configFile = "config.json"

    /// Writes the model directory (weights as `dtype`; fp16 for shipping, f32 for checkpoints).
    /// `weights`: other values in the parameters' layout to write instead of the model's own
    /// (a training run's weight average).
    public func save(to directory: URL, dtype: SafeTensorsDType, weights: Slab? = nil, auxiliaryPhoneNames: [String] = [],
                     provenance: [String: String] = [:]) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try params.layout.safeTensors(of: weights ?? params.values, dtype: dtype)
            .write(to: directory.appendingPathComponent(Self.weightsFile))
        let file = ARDMFileConfig(model: config, melStatistics: melStatistics, auxiliaryPhoneNames: auxiliaryPhoneNames,
                                  provenance: provenance)
        try JSONFile.write(file, to: directory.appendingPathComponent(Self.configFile))
    }

    /// Loads a model directory written by `save`.
    public static func load(from directory: URL) throws -> (ARDM, ARDMFileConfig) {
        let file = try fileConfig(of: directory)
        let model = ARDM(config: file.model, melStatistics: file.melStatistics)
        try model.params.load(contentsOf: directory.appendingPathComponent(weightsFile))
        return (model, file)
    }

    /// The `config.json` of a model directory, without its weights.
    public static func fileConfig(of directory: URL) throws -> ARDMFileConfig {
        let configURL = directory.appendingPathComponent(configFile)
        let data: Data
        do { data = try Data(contentsOf: configURL) } catch {
            throw ARDMCheckpointError.notAModel(path: directory.path, reason: "cannot read \(configFile)")
        }
        let file: ARDMFileConfig
        do { file = try JSONDecoder().decode(ARDMFileConfig.self, from: data) } catch {
            throw ARDMCheckpointError.notAModel(path: directory.path, reason: "\(configFile): \(error)")
        }
        guard file.format == "vgpo-ardm" else {
            throw ARDMCheckpointError.notAModel(path: directory.path, reason: "format is \(file.format)")
        }
        return file
    }
}
