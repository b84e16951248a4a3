import ARDM
import ArgumentParser
import Foundation

/// `vgpo-train export`: an ARDM model folder (e.g. a training checkpoint) as a shippable one:
/// fp16 weights and the same config.json.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write an ARDM model folder with fp16 weights (for models/).",
        discussion: "Example: vgpo-train export --from runs/base/checkpoint --to models/base")

    @Option(help: "Model folder to read (f32 checkpoint).") var from: String
    @Option(help: "Folder to write.") var to: String

    func run() throws {
        let (model, file) = try ARDM.load(from: URL(fileURLWithPath: from))
        try model.save(to: URL(fileURLWithPath: to), dtype: .f16, auxiliaryPhoneNames: file.auxiliaryPhoneNames,
                       provenance: file.provenance)
        print("wrote \(to) (\(model.params.count) parameters, fp16)")
    }
}
