/// Value guidance (Algorithm 2) as a request asks for it, with λ checked: finite and within
/// `SamplingRanges.guidanceScale` (422 `invalid_guidance.scale`). The value model's name is
/// resolved later, against the loaded models and the speech model it has to match
/// (`SpeechService`).
struct GuidanceRequest: Sendable {
    let valueModel: String
    let scale: Double

    init(_ body: TTSRequestBody.Guidance) throws {
        try self.init(valueModel: body.valueModel, scale: body.scale)
    }

    init(valueModel: String, scale: Double, field: String = "guidance.scale") throws {
        self.valueModel = valueModel
        self.scale = try SynthesisParameters.check(scale, field: field, in: SamplingRanges.guidanceScale)
    }
}
