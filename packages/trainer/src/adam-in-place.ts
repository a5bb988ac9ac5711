/**
 * One parameter of {@link adamInPlace}: float32 views of the parameter, its gradient, its two moments (updated in
 * place) and where the updated parameter goes (`out`; may be `p` itself).
 */
export interface InPlaceEntry {
  readonly p: Float32Array;
  readonly g: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
  readonly out: Float32Array;
}

/** The float32 scalars of one Adam step (as PyTorch casts its Python scalars), in the native kernel's order. */
export interface AdamScalars {
  readonly gradScale: number;
  readonly decay: number;
  readonly l2: number;
  readonly beta1: number;
  readonly oneMinusBeta1: number;
  readonly beta2: number;
  readonly oneMinusBeta2: number;
  readonly negStepSize: number;
  readonly bc2Sqrt: number;
  readonly epsilon: number;
}

/**
 * One step of torch.optim.Adam / AdamW (PyTorch 1.13) over each entry, in place, in the order of float32 operations
 * of @gated/cells' native `adam_step` (each operation rounded to float32, so the result is IEEE float32 arithmetic):
 * p ← p·decay; g ← g·gradScale + l2·p; m ← m·β₁ + (1−β₁)·g; v ← v·β₂ + ((1−β₂)·g)·g;
 * p ← p + (−stepSize·m) / (√v / √(1−β₂ᵗ) + ε), the new p written to `out`. Run on views of the tensors' own memory
 * it updates a parameter without copying it, its gradient or its moments anywhere, which on a large parameter (an
 * embedding) is most of a native call's cost.
 */
export function adamInPlace(entries: readonly InPlaceEntry[], s: AdamScalars): void {
  const f = Math.fround;
  const { gradScale, decay, l2, beta1, oneMinusBeta1, beta2, oneMinusBeta2, negStepSize, bc2Sqrt, epsilon } = s;
  for (const { p, g, m, v, out } of entries) {
    const n = p.length;
    if (decay === 1 && l2 === 0) {
      // Adam without weight decay (the common case): the same operations with the branches taken out of the loop
      for (let i = 0; i < n; i++) {
        const gi = f((g[i] as number) * gradScale);
        const mi = f(f((m[i] as number) * beta1) + f(oneMinusBeta1 * gi));
        const vi = f(f((v[i] as number) * beta2) + f(f(oneMinusBeta2 * gi) * gi));
        m[i] = mi;
        v[i] = vi;
        out[i] = f((p[i] as number) + f(f(negStepSize * mi) / f(f(f(Math.sqrt(vi)) / bc2Sqrt) + epsilon)));
      }
      continue;
    }
    for (let i = 0; i < n; i++) {
      const p0 = p[i] as number;
      const pi = decay === 1 ? p0 : f(p0 * decay);
      let gi = gradScale === 1 ? (g[i] as number) : f((g[i] as number) * gradScale);
      if (l2 !== 0) gi = f(gi + f(l2 * pi));
      const mi = f(f((m[i] as number) * beta1) + f(oneMinusBeta1 * gi));
      const vi = f(f((v[i] as number) * beta2) + f(f(oneMinusBeta2 * gi) * gi));
      m[i] = mi;
      v[i] = vi;
      const denom = f(f(f(Math.sqrt(vi)) / bc2Sqrt) + epsilon);
      out[i] = f(pi + f(f(negStepSize * mi) / denom));
    }
  }
}
