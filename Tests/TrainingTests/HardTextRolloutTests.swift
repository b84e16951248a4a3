import ARDM
import Corpus
import Foundation
import Rewards
import Testing
import Text
@testable import Training

/// Rollouts of hard texts (Task B's kind of target) carry their text and phonemes, which value
/// training and rescoring read instead of a corpus utterance's.
@Suite struct HardTextRolloutTests {
    @Test func hardTextRolloutsCarryTheirTextIntoTraining() throws {
        let folder = PretrainerTests.folder("rollouts-hard")
        let corpus = try PretrainerTests.corpus.get().path
        let header = RolloutSet.Header(reward: .f0v, model: try ValueTrainerTests.base.get().path, corpus: corpus,
                                       groupSize: 2, hardTexts: true)
        try RolloutGenerator(header: header, folder: folder, seed: 4, batch: 4).run(groups: 2, rewards: RewardCatalog(), progress: false)
        let set = try RolloutSet.load(from: folder)
        #expect(set.groupCount == 2 && set.header.hardTexts == true)

        let phonemizer = Phonemizer(language: "en-us")
        for (group, members) in Dictionary(grouping: set.rollouts, by: \.group) {
            let text = try #require(members[0].targetText)
            #expect(members.allSatisfy { $0.targetText == text && $0.target == "hard-\(group)" }, "a group shares its text")
            #expect(text.split(separator: " ").count >= HardSentenceMaker.minimumWords)
            #expect(members[0].targetPhonemeIDs == phonemizer.vocabulary.ids(try phonemizer.tokens(text)))
        }
        #expect(set.rollouts[0].targetText != set.rollouts.last!.targetText, "each group draws its own text")

        // Value training's trajectories read the hard text's phonemes after the prompt's.
        let store = try CorpusStore(path: corpus)
        let (model, _) = try ARDM.load(from: ValueTrainerTests.base.get())
        let (train, held) = try set.trajectories(store: store, model: model, maxPositions: 512, targets: .normalized)
        let examples = train.examples + held.examples
        #expect(!examples.isEmpty)
        for example in examples {
            let ids = example.textIDs[example.promptTextCount...]
            #expect(set.rollouts.contains { $0.targetPhonemeIDs.map(ArraySlice.init) == ids })
        }
    }
}
