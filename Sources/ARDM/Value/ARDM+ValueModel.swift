import NN

extension ARDM {
    /// A value model initialised from this base model (paper §4.2, DESIGN §7): every tensor is
    /// copied except the diffusion head's output layer, which becomes a zero-initialised scalar
    /// output (the value head), so V starts at 0 everywhere. The value model always reads the
    /// text (no condition dropout) and has no auxiliary phone head.
    public func makeValueModel() -> ARDM {
        precondition(!config.isValueModel, "already a value model")
        var valueConfig = config
        valueConfig.valueHead = true
        valueConfig.auxiliaryPhones = 0
        valueConfig.conditionDropout = 0
        valueConfig.alignmentPenalty = 0
        let value = ARDM(config: valueConfig, melStatistics: melStatistics)
        for entry in value.params.layout.entries {
            let destination = value.params.values.pointer(at: entry.offset)
            if let source = params.layout.entry(entry.name), source.shape == entry.shape {
                destination.update(from: params.values.pointer(at: source.offset), count: entry.count)
            } else {
                destination.update(repeating: 0, count: entry.count)
            }
        }
        return value
    }

    /// Sets the value head's bias, the value every input starts from (e.g. the mean reward, so
    /// that the exp-MSE surrogate does not start with exp(r − V) astronomically large).
    public func setValueBias(_ bias: Float) {
        precondition(config.isValueModel, "not a value model")
        params.values.pointer(at: head.outB).pointee = bias
    }
}
