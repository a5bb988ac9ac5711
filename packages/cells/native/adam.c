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
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The step with the new parameter written to `out` (which may be `p`): a caller whose parameter memory is read by
 * cached kernels writes the update to fresh memory instead of changing the old values under them. */
void adam_step_to(int n, const float *p, const float *g, float *m, float *v, float *out, float gradScale, float decay,
                  float l2, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float negStepSize,
                  float bc2Sqrt, float eps) {
  int i = 0;
#ifdef __SSE2__
  /* four at a time: the same IEEE float32 operations in the same order as the loop below (sqrtps and divps round
   * like sqrtf and /), so the same bits; the compiler keeps the scalar loop scalar (sqrtf may set errno) */
  const __m128 vdecay = _mm_set1_ps(decay), vscale = _mm_set1_ps(gradScale), vl2 = _mm_set1_ps(l2);
  const __m128 vb1 = _mm_set1_ps(beta1), v1b1 = _mm_set1_ps(oneMinusBeta1), vb2 = _mm_set1_ps(beta2);
  const __m128 v1b2 = _mm_set1_ps(oneMinusBeta2), vstep = _mm_set1_ps(negStepSize), vbc2 = _mm_set1_ps(bc2Sqrt);
  const __m128 veps = _mm_set1_ps(eps);
  for (; i + 4 <= n; i += 4) {
    __m128 pi = _mm_loadu_ps(p + i);
    if (decay != 1.0f) pi = _mm_mul_ps(pi, vdecay);
    __m128 gi = _mm_loadu_ps(g + i);
    if (gradScale != 1.0f) gi = _mm_mul_ps(gi, vscale);
    if (l2 != 0.0f) gi = _mm_add_ps(gi, _mm_mul_ps(vl2, pi));
    const __m128 mi = _mm_add_ps(_mm_mul_ps(_mm_loadu_ps(m + i), vb1), _mm_mul_ps(v1b1, gi));
    const __m128 vi = _mm_add_ps(_mm_mul_ps(_mm_loadu_ps(v + i), vb2), _mm_mul_ps(_mm_mul_ps(v1b2, gi), gi));
    _mm_storeu_ps(m + i, mi);
    _mm_storeu_ps(v + i, vi);
    const __m128 denom = _mm_add_ps(_mm_div_ps(_mm_sqrt_ps(vi), vbc2), veps);
    _mm_storeu_ps(out + i, _mm_add_ps(pi, _mm_div_ps(_mm_mul_ps(vstep, mi), denom)));
  }
#endif
  for (; i < n; i++) {
    float pi = decay == 1.0f ? p[i] : p[i] * decay;
    float gi = gradScale == 1.0f ? g[i] : g[i] * gradScale;
    if (l2 != 0.0f) gi = gi + l2 * pi;
    const float mi = m[i] * beta1 + oneMinusBeta1 * gi;
    const float vi = v[i] * beta2 + (oneMinusBeta2 * gi) * gi;
    m[i] = mi;
    v[i] = vi;
    const float denom = sqrtf(vi) / bc2Sqrt + eps;
    out[i] = pi + (negStepSize * mi) / denom;
  }
}

void adam_step(int n, float *p, const float *g, float *m, float *v, float gradScale, float decay, float l2, float beta1,
               float oneMinusBeta1, float beta2, float oneMinusBeta2, float negStepSize, float bc2Sqrt, float eps) {
  adam_step_to(n, p, g, m, v, p, gradScale, decay, l2, beta1, oneMinusBeta1, beta2, oneMinusBeta2, negStepSize, bc2Sqrt,
               eps);
}
