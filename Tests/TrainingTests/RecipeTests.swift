import Foundation
import NN
import Rewards
import Testing
import Training

/// The recipes in configs/ are what the model cards cite: each must read as its kind of recipe
/// with every key used, and a misspelt key must stop the run before it starts.
struct RecipeTests {
    static let configs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("configs")

    /// Every training recipe, by the kind its file name says (server.json is the server's).
    @Test func shippedRecipesReadWithEveryKeyUsed() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.configs.path).filter { $0.hasSuffix(".json") }.sorted()
        var checked = 0
        for name in names where name != "server.json" {
            let path = Self.configs.appendingPathComponent(name).path
            switch name {
            case _ where name.hasPrefix("pretrain-"): _ = try PretrainConfig.load(path)
            case _ where name.hasPrefix("value-"): _ = try ValueTrainConfig.load(path)
            case _ where name.hasPrefix("vgpo-") || name.hasPrefix("dpo-"): _ = try FineTuneConfig.load(path)
            case _ where name.hasPrefix("ctc"): try expectEveryKeyRead(CTCTrainingConfig.self, path)
            case "speaker.json": try expectEveryKeyRead(SpeakerTrainingConfig.self, path)
            default: Issue.record("\(name): no recipe kind for this name")
            }
            checked += 1
        }
        #expect(checked >= 15)
    }

    private func expectEveryKeyRead<T: Codable>(_ type: T.Type, _ path: String) throws {
        do { _ = try UnreadJSONKeys.decodeStrictly(type, from: Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            Issue.record("\(path): \(error)")
        }
    }

    /// A misspelt top-level key and a misspelt nested one are both named; the run is refused.
    @Test func misspeltKeysAreRefused() throws {
        let shipped = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.configs.appendingPathComponent("pretrain-base.json"))) as! [String: Any]
        var recipe = shipped
        recipe["lerning_rate"] = 0.1
        var model = recipe["model"] as! [String: Any], lm = model["lm"] as! [String: Any]
        lm["layrs"] = 2
        model["lm"] = lm
        recipe["model"] = model
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("recipe-typo-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: recipe).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        do {
            _ = try PretrainConfig.load(path.path)
            Issue.record("a recipe with misspelt keys loaded")
        } catch let error as TrainingError {
            #expect("\(error)".contains("unknown keys lerning_rate, model.lm.layrs"), "\(error)")
        }
        // Values out of range are refused with the key named.
        var overWarped = shipped
        overWarped["voice_warp"] = ["fraction": 0.5, "max_factor": 3]
        try JSONSerialization.data(withJSONObject: overWarped).write(to: path)
        #expect { try PretrainConfig.load(path.path) } throws: { "\($0)".contains("max_factor in [1, 2] (got 0.5, 3.0)") }
        var overAveraged = shipped
        overAveraged["weight_average"] = ["decay": 1]
        try JSONSerialization.data(withJSONObject: overAveraged).write(to: path)
        #expect { try PretrainConfig.load(path.path) } throws: { "\($0)".contains("weight_average needs decay in (0, 1) (got 1.0)") }
        // null stands for a default and counts as read.
        var withNull = shipped
        withNull["cooldown"] = NSNull()
        try JSONSerialization.data(withJSONObject: withNull).write(to: path)
        #expect(try PretrainConfig.load(path.path).cooldown == nil)
    }
}
