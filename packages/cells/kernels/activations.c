/* exp / tanh on f32x4 without libm: Cody–Waite range reduction and a degree-6 polynomial. */
#include "common.h"

v128_t v_exp(v128_t x) {
  /* e^x = 2^n · e^r, n = round(x / ln2), |r| ≤ ln2/2 */
  x = wasm_f32x4_min(wasm_f32x4_max(x, wasm_f32x4_splat(-87.0f)), wasm_f32x4_splat(88.0f));
  v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t p = wasm_f32x4_splat(1.9875691500e-4f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.3981999507e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(8.3334519073e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(4.1665795894e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.6666665459e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(5.0000001201e-1f));
  v128_t r2 = wasm_f32x4_mul(r, r);
  p = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(p, r2), r), wasm_f32x4_splat(1.0f));
  v128_t scale = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
  return wasm_f32x4_mul(p, scale);
}

v128_t v_tanh(v128_t x) {
  /* tanh x = sign(x) · (1 − e^{−2|x|}) / (1 + e^{−2|x|}); below |x| < 0.0625 a Taylor series keeps relative accuracy */
  v128_t ax = wasm_f32x4_abs(x);
  v128_t e = v_exp(wasm_f32x4_mul(ax, wasm_f32x4_splat(-2.0f)));
  v128_t big = wasm_f32x4_div(wasm_f32x4_sub(wasm_f32x4_splat(1.0f), e), wasm_f32x4_add(wasm_f32x4_splat(1.0f), e));
  v128_t x2 = wasm_f32x4_mul(ax, ax);
  /* x − x³/3 + 2x⁵/15 − 17x⁷/315 */
  v128_t small = wasm_f32x4_splat(-17.0f / 315.0f);
  small = wasm_f32x4_add(wasm_f32x4_mul(small, x2), wasm_f32x4_splat(2.0f / 15.0f));
  small = wasm_f32x4_add(wasm_f32x4_mul(small, x2), wasm_f32x4_splat(-1.0f / 3.0f));
  small = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(small, x2), ax), ax);
  v128_t y = wasm_v128_bitselect(small, big, wasm_f32x4_lt(ax, wasm_f32x4_splat(0.0625f)));
  /* copy the sign of x */
  return wasm_v128_or(y, wasm_v128_and(x, wasm_i32x4_splat((int)0x80000000u)));
}
