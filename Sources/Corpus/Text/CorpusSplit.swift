/// The three disjoint parts of the corpus. Sentences are assigned to exactly one split;
/// unseen voices speak only test sentences.
public enum CorpusSplit: String, Codable, CaseIterable, Sendable, Comparable {
    case train, validation, test

    public static func < (a: CorpusSplit, b: CorpusSplit) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
