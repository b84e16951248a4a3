/// How much to build. `default` is the corpus the models train on; `tiny` builds in seconds
/// for tests (of this module and of the trainers).
public struct CorpusSize: Sendable, Equatable, Codable {
    public var name: String
    /// Utterances of train / validation sentences, spread over the seen voices.
    public var trainUtterances: Int
    public var validationUtterances: Int
    /// Test-sentence utterances per seen voice and per unseen voice (unseen voices speak only these).
    public var testUtterancesPerSeenVoice: Int
    public var testUtterancesPerUnseenVoice: Int
    /// The voices used (nil: the whole VoiceCatalog).
    public var voiceIDs: [String]?
    /// Longest sentence used, words (the pool itself allows up to 25).
    public var maximumWords: Int
    /// Share of train/validation utterances per voice, relative, by engine. festival costs about
    /// 0.3 s of CPU per sentence against ~0.03 s for espeak-ng and flite, so it gets fewer.
    public var engineWeights: [Engine: Double]
    /// Utterances per shard: the unit of resumption and of parallel work.
    public var shardSize: Int
    public var taskAItems: Int
    public var taskBItems: Int
    /// Seen voices from `VoiceCatalog.added`, and the train utterances spread over them, planned
    /// after everything else (`BuildPlan`): the corpus without them is a prefix of the one with.
    public var addedVoiceIDs: [String] = []
    public var addedTrainUtterances = 0

    public static let tiny: CorpusSize = {
        let pick: [(Engine, String)] = [(.espeak, "en-us+m1"), (.espeak, "en-gb+f1"), (.flite, "kal16"), (.festival, "kal_diphone"),
                                        (.espeak, "en-gb-x-gbcwmd+m1"), (.espeak, "en-us+f4"), (.flite, "rms"), (.festival, "ked_diphone")]
        let ids = pick.map { engine, name in
            VoiceCatalog.all.first { $0.engine == engine && $0.settings.engineVoice == name
                && ($0.settings.durationStretch ?? 1.0) == 1.0 }!.id
        }
        return CorpusSize(name: "tiny", trainUtterances: 24, validationUtterances: 4, testUtterancesPerSeenVoice: 2,
                          testUtterancesPerUnseenVoice: 3, voiceIDs: ids, maximumWords: 8,
                          engineWeights: [.espeak: 1, .flite: 1, .festival: 0.5], shardSize: 8, taskAItems: 4, taskBItems: 3)
    }()

    /// About 9 hours from 120 voices (81 seen, 39 unseen); see docs/corpus.md for the measured build.
    public static let standard = CorpusSize(
        name: "default", trainUtterances: 9_000, validationUtterances: 300, testUtterancesPerSeenVoice: 4,
        testUtterancesPerUnseenVoice: 10, voiceIDs: nil, maximumWords: 25,
        engineWeights: [.espeak: 1, .flite: 1, .festival: 0.4], shardSize: 64, taskAItems: 38, taskBItems: 100)

    /// The default corpus and 2,880 more train utterances from 48 more espeak-ng timbres (60
    /// each, about as many as a default voice reads): the same test and validation sets, a wider
    /// choice of voices to learn zero-shot cloning from.
    public static let wide: CorpusSize = {
        var size = standard
        size.name = "wide"
        size.addedVoiceIDs = VoiceCatalog.added.map(\.id)
        size.addedTrainUtterances = 2_880
        return size
    }()

    public static func named(_ name: String) -> CorpusSize? {
        switch name {
        case "tiny": return .tiny
        case "default": return .standard
        case "wide": return .wide
        default: return nil
        }
    }

    /// Every voice of the corpus: the catalogue's, then the added ones.
    public var voices: [Voice] { catalogueVoices + addedVoices }

    /// The voices of `VoiceCatalog.all` used (all of them without `voiceIDs`).
    public var catalogueVoices: [Voice] {
        guard let voiceIDs else { return VoiceCatalog.all }
        return VoiceCatalog.all.filter { voiceIDs.contains($0.id) }
    }

    public var addedVoices: [Voice] { VoiceCatalog.added.filter { addedVoiceIDs.contains($0.id) } }
}
