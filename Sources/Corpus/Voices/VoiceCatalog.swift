/// The fixed list of corpus voices (120: 96 espeak-ng, 15 flite, 9 festival) and which of them
/// are held out as unseen (39, from all three engines).
///
/// espeak-ng: 8 English accents x 12 voice variants (m1-m7, f1-f5), each combination with one
/// pitch / rate pair from a 3 x 3 grid (chosen by a fixed rule so neighbours differ).
/// flite: kal, kal16, awb, rms, slt; festival: kal_diphone, ked_diphone, slt HTS; each at
/// three speaking rates.
/// Unseen: the whole West-Midlands accent, variants m3, m6 and f4 in every accent, flite rms
/// and festival ked_diphone at every rate: new timbres, a new accent and new engines' voices.
public enum VoiceCatalog {
    public static let espeakAccents = ["en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en-029",
                                       "en-gb-x-gbclan", "en-us-nyc", "en-gb-x-gbcwmd"]
    public static let espeakVariants = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5"]
    /// espeak-ng pitch (0-99) and rate (words per minute) grid.
    public static let espeakPitches = [35, 50, 65]
    public static let espeakRates = [150, 170, 190]
    public static let fliteVoices = ["kal", "kal16", "awb", "rms", "slt"]
    public static let festivalVoices = ["kal_diphone", "ked_diphone", "cmu_us_slt_arctic_hts"]
    /// Duration scales for flite and festival: faster, normal, slower.
    public static let durationStretches = [0.9, 1.0, 1.15]

    public static let unseenEspeakAccents: Set<String> = ["en-gb-x-gbcwmd"]
    public static let unseenEspeakVariants: Set<String> = ["m3", "m6", "f4"]
    public static let unseenFliteVoices: Set<String> = ["rms"]
    public static let unseenFestivalVoices: Set<String> = ["ked_diphone"]

    /// Every voice, in a fixed order (engine, then the lists above).
    public static let all: [Voice] = {
        var voices: [Voice] = []
        for (a, accent) in espeakAccents.enumerated() {
            for (v, variant) in espeakVariants.enumerated() {
                let settings = VoiceSettings(engineVoice: "\(accent)+\(variant)",
                                             pitch: espeakPitches[(a + v) % espeakPitches.count],
                                             wordsPerMinute: espeakRates[(a + 2 * v) % espeakRates.count])
                let seen = !unseenEspeakAccents.contains(accent) && !unseenEspeakVariants.contains(variant)
                voices.append(Voice(engine: .espeak, settings: settings, seen: seen))
            }
        }
        for name in fliteVoices {
            for stretch in durationStretches {
                voices.append(Voice(engine: .flite, settings: VoiceSettings(engineVoice: name, durationStretch: stretch),
                                    seen: !unseenFliteVoices.contains(name)))
            }
        }
        for name in festivalVoices {
            for stretch in durationStretches {
                voices.append(Voice(engine: .festival, settings: VoiceSettings(engineVoice: name, durationStretch: stretch),
                                    seen: !unseenFestivalVoices.contains(name)))
            }
        }
        return voices
    }()

    /// More of espeak-ng's voice variants (its `!v` files; whispers, robots and other oddities
    /// left out), for corpora that add timbres to learn zero-shot cloning from (`CorpusSize.wide`).
    /// Each is spoken in one seen accent, taken in turn, with a pitch / rate pair from the grid.
    public static let addedEspeakVariants = [
        "Alex", "Andy", "Annie", "Gene", "Lee", "Michael", "Mike", "anika", "announcer", "aunty", "belinda", "benjamin",
        "boris", "caleb", "david", "ed", "edward", "grandma", "grandpa", "gustave", "iven", "john", "klatt", "klatt2",
        "klatt3", "klatt4", "linda", "m8", "max", "norbert", "paul", "quincy", "rob", "robert", "shelby", "steph",
        "travis", "victor", "zac", "Alicia", "Andrea", "Denis", "Jacky", "Marco", "Mario", "Storm", "michel", "pablo",
    ]

    /// The added variants as seen voices, in the order above. Not part of `all`: the standard
    /// corpus and its test set stay as they are.
    public static let added: [Voice] = {
        let accents = espeakAccents.filter { !unseenEspeakAccents.contains($0) }
        return addedEspeakVariants.enumerated().map { i, variant in
            let settings = VoiceSettings(engineVoice: "\(accents[i % accents.count])+\(variant)",
                                         pitch: espeakPitches[i % espeakPitches.count],
                                         wordsPerMinute: espeakRates[(i / espeakPitches.count) % espeakRates.count])
            return Voice(engine: .espeak, settings: settings, seen: true)
        }
    }()

    public static func voice(id: String) -> Voice? { all.first { $0.id == id } ?? added.first { $0.id == id } }
}
