import Foundation

/// Where the engine programs and voice data are, and what to install when they are not there.
/// Paths come from the environment when set (VGPO_ESPEAK_NG, VGPO_FLITE, VGPO_FESTIVAL), so a
/// test can point one at a missing binary; otherwise the names are looked up on $PATH.
public struct EngineTools: Sendable, Equatable {
    public var espeak: String
    public var flite: String
    public var festival: String
    /// Root of festival's voice folders (`<root>/<language>/<voice>`).
    public var festivalVoiceRoot: String
    /// A program and leading arguments that synthesise one espeak-ng utterance through the library
    /// with phoneme timings (`vgpo-train corpus espeak-helper`, EspeakLibrarySynthesis). nil: use
    /// the espeak-ng program, which gives the same audio but no timings.
    public var espeakHelper: [String]?

    /// Debian packages per engine and per festival voice.
    public static let enginePackages: [Engine: [String]] = [.espeak: ["espeak-ng"], .flite: ["flite"], .festival: ["festival"]]
    public static let festivalVoicePackages = ["kal_diphone": "festvox-kallpc16k", "ked_diphone": "festvox-kdlpc16k",
                                               "cmu_us_slt_arctic_hts": "festvox-us-slt-hts"]

    /// Every apt package a full corpus build needs (README, Dockerfile and CI install these).
    public static var allPackages: [String] {
        (enginePackages.values.flatMap { $0 } + festivalVoicePackages.values + FortuneSource.packages).sorted()
    }

    public init(espeak: String = "espeak-ng", flite: String = "flite", festival: String = "festival",
                festivalVoiceRoot: String = "/usr/share/festival/voices", espeakHelper: [String]? = nil) {
        self.espeak = espeak
        self.flite = flite
        self.festival = festival
        self.festivalVoiceRoot = festivalVoiceRoot
        self.espeakHelper = espeakHelper
    }

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> EngineTools {
        var tools = EngineTools()
        if let path = environment["VGPO_ESPEAK_NG"] { tools.espeak = path }
        if let path = environment["VGPO_FLITE"] { tools.flite = path }
        if let path = environment["VGPO_FESTIVAL"] { tools.festival = path }
        if let path = environment["VGPO_FESTIVAL_VOICES"] { tools.festivalVoiceRoot = path }
        return tools
    }

    public func program(for engine: Engine) -> String {
        switch engine {
        case .espeak: return espeak
        case .flite: return flite
        case .festival: return festival
        }
    }

    /// What is missing for synthesising `voices`; empty when everything is installed.
    /// Runs nothing but `flite -lv` (to list its compiled-in voices).
    public func missing(for voices: [Voice]) -> [MissingTool] {
        var missing: [MissingTool] = []
        let engines = Set(voices.map(\.engine)).sorted()
        var resolved: [Engine: String] = [:]
        for engine in engines {
            let program = program(for: engine)
            if let path = Subprocess.locate(program) {
                resolved[engine] = path
            } else {
                let packages = engine == .festival
                    ? ["festival"] + Set(voices.filter { $0.engine == .festival }.compactMap { Self.festivalVoicePackages[$0.settings.engineVoice] }).sorted()
                    : Self.enginePackages[engine]!
                missing.append(MissingTool(what: engine.rawValue == "espeak" ? "espeak-ng" : engine.rawValue,
                                           lookedFor: program.contains("/") ? program : "\(program) on PATH", packages: packages))
            }
        }
        if let flite = resolved[.flite] {
            let available = fliteVoices(program: flite)
            for name in Set(voices.filter { $0.engine == .flite }.map(\.settings.engineVoice)).sorted() where !available.contains(name) {
                missing.append(MissingTool(what: "flite voice \(name)", lookedFor: "\(flite) -lv", packages: ["flite"]))
            }
        }
        if let helper = espeakHelper?.first, engines.contains(.espeak), !FileManager.default.isExecutableFile(atPath: helper) {
            missing.append(MissingTool(what: "espeak-ng timing helper", lookedFor: helper, packages: ["libespeak-ng1"]))
        }
        if resolved[.festival] != nil {
            for name in Set(voices.filter { $0.engine == .festival }.map(\.settings.engineVoice)).sorted()
            where festivalVoiceFolder(name) == nil {
                missing.append(MissingTool(what: "festival voice \(name)", lookedFor: "\(festivalVoiceRoot)/*/\(name)",
                                           packages: [Self.festivalVoicePackages[name] ?? "festvox-\(name)"]))
            }
        }
        return missing
    }

    func festivalVoiceFolder(_ name: String) -> String? {
        let languages = (try? FileManager.default.contentsOfDirectory(atPath: festivalVoiceRoot)) ?? []
        return languages.sorted().map { "\(festivalVoiceRoot)/\($0)/\(name)" }.first { FileManager.default.fileExists(atPath: $0) }
    }

    private func fliteVoices(program: String) -> Set<String> {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("vgpo-flite-lv-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        guard let result = try? Subprocess.run(program, ["-lv"], scratch: scratch) else { return [] }
        // "Voices available: kal awb_time kal16 awb rms slt"
        let listing = result.standardOutput + result.standardError
        return Set(listing.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
    }

    /// Version strings of the engines, recorded in corpus.json (a corpus is only reproducible
    /// with the same engine versions).
    public func versions(for engines: Set<Engine>) -> [String: String] {
        var versions: [String: String] = [:]
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("vgpo-versions-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        for engine in engines.sorted() {
            guard let path = Subprocess.locate(program(for: engine)),
                  let result = try? Subprocess.run(path, ["--version"], scratch: scratch) else { continue }
            // flite prints a copyright line first and "version: ..." after it.
            let lines = (result.standardOutput + result.standardError).split(separator: "\n").filter { !$0.isEmpty }
            let text = lines.first { $0.lowercased().contains("version") } ?? lines.first
            versions[engine.rawValue] = text.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        }
        return versions
    }
}
