/*
 * One Adam step (torch.optim.Adam / AdamW of PyTorch 1.13, same order of float32 operations) over a parameter
 * tensor's n floats, in place, with its gradient first scaled by `gradScale` (clip_grad_norm_'s coefficient, 1
 * without clipping):
 *   p ← p·decay                                   (AdamW's decoupled weight decay; 1 for Adam)
 *   g ← g·gradScale + l2·p                         (Adam's L2 term; 0 for AdamW)
 *   m ← m·β₁ + (1−β₁)·g ;  v ← v·β₂ + ((1−β₂)·g)·g
 *   p ← p + (−stepSize)·m / (√v / √(1−β₂ᵗ) + ε)    stepSize = lr / (1−β₁ᵗ)
 * The scalars arrive rounded to float32, as PyTorch casts its Python scalars. m and v start at zero.
 */
#include "native.h"

#include <math.h>

void adam_step(int n, float *p, const float *g, float *m, float *v, float gradScale, float decay, float l2, float beta1,
               float oneMinusBeta1, float beta2, float oneMinusBeta2, float negStepSize, float bc2Sqrt, float eps) {
  for (int i = 0; i < n; i++) {
    float pi = decay == 1.0f ? p[i] : p[i] * decay;
    float gi = gradScale == 1.0f ? g[i] : g[i] * gradScale;
    if (l2 != 0.0f) gi = gi + l2 * pi;
    const float mi = m[i] * beta1 + oneMinusBeta1 * gi;
    const float vi = v[i] * beta2 + (oneMinusBeta2 * gi) * gi;
    m[i] = mi;
    v[i] = vi;
    const float denom = sqrtf(vi) / bc2Sqrt + eps;
    p[i] = pi + (negStepSize * mi) / denom;
  }
}
