import Guidance
import Foundation

/// The three CMOS tests of the paper (Appendix C, Figures 3-5).
public enum ListeningTestKind: String, Codable, Sendable, CaseIterable {
    case naturalness, similarity, expressiveness

    /// The instructions the listener page shows, as in the paper's interfaces.
    var instructions: [String] {
        let common = ["Listen to the reference audio first.", "Then listen to Audio A and Audio B in any order.",
                      "Use headphones in a quiet environment."]
        switch self {
        case .naturalness: return common + ["Choose which audio sounds more natural overall."]
        case .expressiveness: return common + ["Choose which audio sounds more expressive overall."]
        case .similarity:
            return common + ["Judge which test audio sounds like it was spoken by the same person as the reference speaker.",
                             "Focus only on speaker identity (the voice itself), not on how the sentence is read."]
        }
    }

    var question: String {
        switch self {
        case .naturalness: return "Which audio sounds more natural?"
        case .expressiveness: return "Which audio sounds more expressive?"
        case .similarity: return "Which speaker sounds more similar to the reference?"
        }
    }

    /// Only the similarity test plays the prompt voice as a reference (Figure 4).
    var showsReference: Bool { self == .similarity }
}

/// How one side of a test makes its audio: a loaded model, with optional value guidance
/// (`value_model` and λ `scale`) and best-of-K (`best_of` candidates ranked by `reward`, as in
/// `/v1/tts`), and the seed of its first clip. For uploaded audio only the label matters.
struct ListeningSystem: Codable, Sendable, Equatable {
    var label: String
    var model: String?
    var valueModel: String?
    var scale: Double?
    var bestOf: Int?
    var reward: String?
    var seed: UInt64?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case label, model, scale, reward, seed
        case valueModel = "value_model", bestOf = "best_of"
    }

    init(label: String, model: String? = nil, valueModel: String? = nil, scale: Double? = nil, bestOf: Int? = nil,
         reward: String? = nil, seed: UInt64? = nil) {
        self.label = label; self.model = model; self.valueModel = valueModel; self.scale = scale
        self.bestOf = bestOf; self.reward = reward; self.seed = seed
    }

    init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        label = try c.decode(String.self, forKey: .label)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        valueModel = try c.decodeIfPresent(String.self, forKey: .valueModel)
        scale = try c.decodeIfPresent(Double.self, forKey: .scale)
        bestOf = try c.decodeIfPresent(Int.self, forKey: .bestOf)
        reward = try c.decodeIfPresent(String.self, forKey: .reward)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
    }
}

/// Where a test stands. Listeners see only `ready` tests; a test whose audio is still being
/// generated resumes after a restart; one whose generation failed says why and is never served.
enum ListeningTestStatus: String, Codable, Sendable {
    case generating, ready, failed
}

/// What the API says about a test.
struct ListeningTestSummary: Codable, Sendable {
    let id: String
    let name: String
    let kind: ListeningTestKind
    let status: ListeningTestStatus
    let systemA: ListeningSystem
    let systemB: ListeningSystem
    let items: Int
    let samplesPerItem: Int
    let pairs: Int
    let ratings: Int
    let error: String?
    let instructions: [String]
    let question: String

    enum CodingKeys: String, CodingKey {
        case id, name, kind, status, items, pairs, ratings, error, instructions, question
        case systemA = "system_a", systemB = "system_b", samplesPerItem = "samples_per_item"
    }
}

/// A pair as one listener sees it: sides already randomised (the store remembers the flip).
struct ListeningPresentation: Codable, Sendable {
    let presentation: String
    let pair: Int
    let text: String
    let audioA: String
    let audioB: String
    let reference: String?
    let remaining: Int

    enum CodingKeys: String, CodingKey {
        case presentation, pair, text, reference, remaining
        case audioA = "audio_a", audioB = "audio_b"
    }
}

/// CMOS of system B over system A: the mean of the ratings after undoing the side flip
/// (positive: listeners preferred B), with a 95% Student-t confidence interval.
struct ListeningResults: Codable, Sendable {
    let test: String
    let ratings: Int
    let listeners: Int
    let cmos: Double?
    let ci95Low: Double?
    let ci95High: Double?
    let standardDeviation: Double?

    enum CodingKeys: String, CodingKey {
        case test, ratings, listeners, cmos
        case ci95Low = "ci95_low", ci95High = "ci95_high", standardDeviation = "standard_deviation"
    }

    init(test: String, scores: [Int], listeners: Int) {
        self.test = test; ratings = scores.count; self.listeners = listeners
        guard !scores.isEmpty else { cmos = nil; ci95Low = nil; ci95High = nil; standardDeviation = nil; return }
        let n = Double(scores.count), mean = Double(scores.reduce(0, +)) / n
        cmos = mean
        guard scores.count > 1 else { ci95Low = nil; ci95High = nil; standardDeviation = nil; return }
        let sd = (scores.map { (Double($0) - mean) * (Double($0) - mean) }.reduce(0, +) / (n - 1)).squareRoot()
        let half = Self.studentT975(degreesOfFreedom: n - 1) * sd / n.squareRoot()
        standardDeviation = sd; ci95Low = mean - half; ci95High = mean + half
    }

    /// The 97.5% quantile of Student's t (Cornish-Fisher expansion around the normal's 1.96;
    /// within 0.2% of the exact value from 3 degrees of freedom up, exact table below).
    static func studentT975(degreesOfFreedom v: Double) -> Double {
        if v < 1.5 { return 12.706 }
        if v < 2.5 { return 4.303 }
        let z = 1.959964, z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z
        return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v)
            + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v)
    }
}

extension ListeningSystem {
    /// The system's best-of-K, checked like `/v1/tts`'s (nil for a single sample).
    func bestOfK(rewards: RewardSet, limit: Int, field: String) throws -> BestOfK? {
        guard let bestOf else {
            if reward != nil { throw APIError.unprocessable("\(field).reward: goes with \(field).best_of", code: "invalid_best_of") }
            return nil
        }
        return try TTSRoutes.checkBestOf(k: bestOf, reward: reward, rewards: rewards, limit: limit, field: "\(field).best_of")
    }
}
