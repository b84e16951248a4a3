/// Conversions between Float32 and the 16-bit formats safetensors stores.

@inline(__always) public func float16Bits(_ x: Float) -> UInt16 { Float16(x).bitPattern }
@inline(__always) public func floatFromFloat16(_ bits: UInt16) -> Float { Float(Float16(bitPattern: bits)) }

/// bfloat16 is the top half of a Float32; round to nearest even, keep NaN a NaN.
@inline(__always) public func bfloat16Bits(_ x: Float) -> UInt16 {
    if x.isNaN { return 0x7FC0 }
    let bits = x.bitPattern
    let rounding: UInt32 = 0x7FFF + ((bits >> 16) & 1)
    return UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
}

@inline(__always) public func floatFromBFloat16(_ bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }
