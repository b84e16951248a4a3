import Foundation
import NN

/// A shipped speaker encoder: `config.json` (SpeakerEncoderConfig) + `model.safetensors`
/// (the encoder only; the training classifier is left out).
extension SpeakerEncoder {
    public static let configFile = "config.json", weightsFile = "model.safetensors"

    public func save(to folder: URL, dtype: SafeTensorsDType = .f16, metadata: [String: String] = [:]) throws {
        try JSONFile.write(config, to: folder.appendingPathComponent(Self.configFile))
        var file = params.safeTensors(dtype: dtype, metadata: metadata.merging(["model": "speaker-encoder"]) { a, _ in a })
        file.tensors.removeAll { $0.name == Self.classifierName }
        try file.write(to: folder.appendingPathComponent(Self.weightsFile))
    }

    public static func load(from folder: URL) throws -> SpeakerEncoder {
        let config: SpeakerEncoderConfig
        do {
            config = try JSONFile.read(SpeakerEncoderConfig.self, from: folder.appendingPathComponent(configFile))
        } catch {
            throw RewardError.modelUnavailable(reward: "sim", reason: "\(folder.appendingPathComponent(configFile).path): \(error)")
        }
        let model = SpeakerEncoder(config: config, seed: 0)
        do { try model.params.load(contentsOf: folder.appendingPathComponent(weightsFile)) } catch {
            throw RewardError.modelUnavailable(reward: "sim", reason: "\(folder.appendingPathComponent(weightsFile).path): \(error)")
        }
        return model
    }
}
