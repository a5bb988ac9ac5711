/** Decodes G.711 µ-law bytes to samples in [−1, 1] (the inverse of the reference encoder, bias 0x84). */
export function muLawDecode(bytes: Uint8Array, offset: number, length: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const u = ~bytes[offset + i]! & 0xff;
    const exponent = (u >> 4) & 0x07;
    // |x| = ((mantissa·8 + 0x84) << exponent) − 0x84
    const magnitude = (((u & 0x0f) << 3) + 0x84) * (1 << exponent) - 0x84;
    out[i] = ((u & 0x80) !== 0 ? -magnitude : magnitude) / 32768;
  }
  return out;
}
