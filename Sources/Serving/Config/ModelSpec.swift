/// One model the server should load: its public name, what kind of model it is, and where its
/// files are (a directory with safetensors weights and a JSON config, relative to the working
/// directory).
public struct ModelSpec: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// An autoregressive diffusion TTS model, base or fine-tuned.
        case ardm
        /// A value model for guided sampling (λ > 0).
        case value
        /// A reward model for scoring and best-of-K: a CTC recogniser (ctc_likelihood, per) or a
        /// speaker encoder (sim). F0V needs no model.
        case reward
    }

    /// The name clients use in `model` or `guidance.value_model`, and `/v1/models` lists. Reward
    /// models are used through the rewards they provide, which `best_of.reward` names.
    public var name: String
    public var kind: Kind
    public var path: String

    public init(name: String, kind: Kind, path: String) {
        self.name = name
        self.kind = kind
        self.path = path
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, kind, path
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        path = try container.decode(String.self, forKey: .path)
        let kindName = try container.decode(String.self, forKey: .kind)
        guard let kind = Kind(rawValue: kindName) else {
            let known = Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container, debugDescription: "unknown model kind '\(kindName)' (known: \(known))")
        }
        self.kind = kind
    }
}
