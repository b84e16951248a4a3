import Foundation
import NN

/// A shipped or exported recogniser: `config.json` (RecognizerConfig) + `model.safetensors`.
extension CTCRecognizer {
    public static let configFile = "config.json", weightsFile = "model.safetensors"

    public func save(to folder: URL, dtype: SafeTensorsDType = .f16, metadata: [String: String] = [:]) throws {
        try JSONFile.write(config, to: folder.appendingPathComponent(Self.configFile))
        try params.save(to: folder.appendingPathComponent(Self.weightsFile), dtype: dtype,
                        metadata: metadata.merging(["model": "ctc-phoneme-recognizer"]) { a, _ in a })
    }

    /// Loads a recogniser folder; errors name the file and, for weights, the tensor at fault.
    public static func load(from folder: URL) throws -> CTCRecognizer {
        let config: RecognizerConfig
        do {
            config = try JSONFile.read(RecognizerConfig.self, from: folder.appendingPathComponent(configFile))
        } catch {
            throw RewardError.modelUnavailable(reward: "ctc", reason: "\(folder.appendingPathComponent(configFile).path): \(error)")
        }
        let model = CTCRecognizer(config: config, seed: 0)
        do { try model.params.load(contentsOf: folder.appendingPathComponent(weightsFile)) } catch {
            throw RewardError.modelUnavailable(reward: "ctc", reason: "\(folder.appendingPathComponent(weightsFile).path): \(error)")
        }
        return model
    }
}
