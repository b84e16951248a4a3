import NN

/// Hyperparameters of the autoregressive diffusion TTS model (DESIGN §6), saved beside every
/// checkpoint as JSON so a model file describes itself.
public struct ARDMConfig: Codable, Sendable, Equatable {
    /// Mel bins per frame and frames per speech token (patch): a token is P·M values.
    public var melBins: Int = 80
    public var patchFrames: Int = 4
    /// Phoneme vocabulary size (Text.PhonemeVocabulary), and its special ids.
    public var textVocabulary: Int
    public var bosID: Int32 = 1
    public var sepID: Int32 = 2
    /// The causal transformer ("LM").
    public var lm: TransformerConfig
    /// The diffusion head (MAR-style MLP with adaLN).
    public var head: HeadConfig
    /// Engine phone classes of the auxiliary alignment head (0 = no auxiliary head).
    public var auxiliaryPhones: Int = 0
    /// Probability of dropping the text during training, which LM guidance (CFG) needs.
    public var conditionDropout: Float = 0.1
    /// Weight of the guided-attention penalty on the alignment heads (lm.alignmentLayers), and
    /// the width g of its diagonal (DC-TTS: W[n,t] = 1 − exp(−(n/N − t/T)²/2g²)).
    public var alignmentPenalty: Float = 0
    public var alignmentWidth: Float = 0.2
    /// A value model (paper §4.2, DESIGN §7): the head ends in one scalar, V(x_<n, x_n^t, t),
    /// instead of a v-prediction. Absent in base-model configs.
    public var valueHead: Bool?

    public struct HeadConfig: Codable, Sendable, Equatable {
        public var width: Int
        public var blocks: Int
        /// Width of the sinusoidal embedding of the diffusion time.
        public var timeFrequencies: Int = 256
        public init(width: Int, blocks: Int, timeFrequencies: Int = 256) {
            self.width = width; self.blocks = blocks; self.timeFrequencies = timeFrequencies
        }
    }

    public init(textVocabulary: Int, lm: TransformerConfig, head: HeadConfig, melBins: Int = 80, patchFrames: Int = 4,
                auxiliaryPhones: Int = 0, conditionDropout: Float = 0.1, alignmentPenalty: Float = 0, alignmentWidth: Float = 0.2) {
        self.textVocabulary = textVocabulary; self.lm = lm; self.head = head
        self.melBins = melBins; self.patchFrames = patchFrames
        self.auxiliaryPhones = auxiliaryPhones; self.conditionDropout = conditionDropout
        self.alignmentPenalty = alignmentPenalty; self.alignmentWidth = alignmentWidth
    }

    /// Values per speech token.
    public var tokenWidth: Int { melBins * patchFrames }

    public var isValueModel: Bool { valueHead ?? false }
}
