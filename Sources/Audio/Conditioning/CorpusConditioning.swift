/// Audio made like the corpus's utterances, with the standard `SilenceTrimmer` and
/// `LoudnessNormalizer` the corpus build uses: silence cut to 50 ms margins, −20 dBFS RMS.
/// Every model trained on the corpus saw only such audio. The ARDM given a prompt that ends in
/// half a second of silence, or is 5 dB louder, stopped far too late or too early; the
/// recogniser heard a −20 dB copy of a built-in voice with PER 0.91 instead of 0.19, and the
/// speaker encoder found it 0.05 similar to itself. Idempotent on corpus audio.
public enum CorpusConditioning {
    public static func apply(_ audio: [Float], sampleRate: Int) -> [Float] {
        let speech = SilenceTrimmer.standard.speechRange(audio, sampleRate: sampleRate).map { Array(audio[$0]) } ?? audio
        return LoudnessNormalizer.standard.normalize(speech)
    }
}
