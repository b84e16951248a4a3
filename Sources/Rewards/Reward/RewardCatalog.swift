import Foundation
import Text

/// Builds rewards by name from model folders (the shipped `models/ctc`, `models/speaker`),
/// loading each model once even when two rewards share it (the CTC likelihood and PER).
public struct RewardCatalog {
    public var ctcModel: URL
    public var speakerModel: URL

    public init(ctcModel: URL = URL(fileURLWithPath: "models/ctc"), speakerModel: URL = URL(fileURLWithPath: "models/speaker")) {
        self.ctcModel = ctcModel; self.speakerModel = speakerModel
    }

    /// Parses "f0v,ctc_likelihood,per,sim"; "all" means every reward.
    public static func names(_ list: String) throws(RewardError) -> [RewardName] {
        if list == "all" { return RewardName.allCases }
        var names: [RewardName] = []
        for part in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            guard let name = RewardName(rawValue: part) else { throw .unknownReward(part) }
            names.append(name)
        }
        return names
    }

    public func make(_ names: [RewardName]) throws -> [any Reward] {
        var recognizer: CTCRecognizer?
        func loadRecognizer() throws -> CTCRecognizer {
            if let recognizer { return recognizer }
            let r = try CTCRecognizer.load(from: ctcModel)
            recognizer = r
            return r
        }
        return try names.map { name -> any Reward in
            switch name {
            case .f0v: return F0VReward()
            case .ctcLikelihood: return CTCLikelihoodReward(recognizer: try loadRecognizer())
            case .per: return PhonemeErrorRateMetric(recognizer: try loadRecognizer())
            case .sim: return SpeakerSimilarityReward(encoder: try SpeakerEncoder.load(from: speakerModel))
            }
        }
    }
}
