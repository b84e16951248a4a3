/// Value guidance (Algorithm 2) as a request asks for it, with λ checked: finite and within
/// `SamplingRanges.guidanceScale` (422 `invalid_guidance.scale`). The value model's name is
/// resolved later, against the loaded models and the speech model it has to match
/// (`SpeechService`).
struct GuidanceRequest: Sendable {
    let valueModel: String
    let scale: Double

    init(_ body: TTSRequestBody.Guidance) throws {
        valueModel = body.valueModel
        scale = try SynthesisParameters.check(body.scale, field: "guidance.scale", in: SamplingRanges.guidanceScale)
    }
}
