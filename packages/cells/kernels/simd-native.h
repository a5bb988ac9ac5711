/*
 * The subset of wasm_simd128.h the kernels use, on native targets, in clang's generic vector extensions: the same
 * kernel source (lstm.c, gru.c, rnn.c, arena.c) compiles to wasm32 + simd128 and, through this header, to x86-64
 * with the same lane semantics. Natively a "v128_t" holds VL lanes — 16 when compiled for AVX-512, 8 for AVX2, 4
 * for SSE2 — and the kernels' gate loops step by VL (the addon builds them once per instruction set).
 */
#ifndef GATED_SIMD_NATIVE_H
#define GATED_SIMD_NATIVE_H

#include <stdint.h>

#if defined(__AVX512F__)
#define VL 16
#elif defined(__AVX2__)
#define VL 8
#else
#define VL 4
#endif

typedef int32_t v128_t __attribute__((__vector_size__(4 * VL), __aligned__(16)));
typedef float gated_f32x4 __attribute__((__vector_size__(4 * VL), __aligned__(16)));
/* unaligned loads and stores go through a 4-byte-aligned alias */
typedef float gated_f32x4_u __attribute__((__vector_size__(4 * VL), __aligned__(4), __may_alias__));
typedef int32_t gated_i32x4 __attribute__((__vector_size__(4 * VL), __aligned__(16)));

#define GATED_F(v) ((gated_f32x4)(v))
#define GATED_I(v) ((gated_i32x4)(v))
#define GATED_V(v) ((v128_t)(v))
#define GATED_SIMD static inline __attribute__((always_inline))

GATED_SIMD v128_t wasm_v128_load(const void *p) { return GATED_V(*(const gated_f32x4_u *)p); }
GATED_SIMD void wasm_v128_store(void *p, v128_t v) { *(gated_f32x4_u *)p = GATED_F(v); }
GATED_SIMD v128_t wasm_f32x4_splat(float x) {
  gated_f32x4 v = {0};
  for (int i = 0; i < VL; i++) v[i] = x;
  return GATED_V(v);
}
GATED_SIMD v128_t wasm_i32x4_splat(int32_t x) {
  v128_t v = {0};
  for (int i = 0; i < VL; i++) v[i] = x;
  return v;
}
GATED_SIMD float wasm_f32x4_extract_lane_(v128_t v, int i) { return GATED_F(v)[i]; }
#define wasm_f32x4_extract_lane(v, i) wasm_f32x4_extract_lane_((v), (i))
GATED_SIMD v128_t wasm_f32x4_add(v128_t a, v128_t b) { return GATED_V(GATED_F(a) + GATED_F(b)); }
GATED_SIMD v128_t wasm_f32x4_sub(v128_t a, v128_t b) { return GATED_V(GATED_F(a) - GATED_F(b)); }
GATED_SIMD v128_t wasm_f32x4_mul(v128_t a, v128_t b) { return GATED_V(GATED_F(a) * GATED_F(b)); }
GATED_SIMD v128_t wasm_f32x4_div(v128_t a, v128_t b) { return GATED_V(GATED_F(a) / GATED_F(b)); }
GATED_SIMD v128_t wasm_f32x4_neg(v128_t a) { return GATED_V(-GATED_F(a)); }
GATED_SIMD v128_t wasm_f32x4_abs(v128_t a) { return a & wasm_i32x4_splat(0x7fffffff); }
/* comparisons give all-ones / all-zeros lanes, as in wasm */
GATED_SIMD v128_t wasm_f32x4_lt(v128_t a, v128_t b) { return GATED_V(GATED_F(a) < GATED_F(b)); }
GATED_SIMD v128_t wasm_f32x4_gt(v128_t a, v128_t b) { return GATED_V(GATED_F(a) > GATED_F(b)); }
GATED_SIMD v128_t wasm_v128_and(v128_t a, v128_t b) { return a & b; }
GATED_SIMD v128_t wasm_v128_or(v128_t a, v128_t b) { return a | b; }
/* lanes of a where mask is set, else of b */
GATED_SIMD v128_t wasm_v128_bitselect(v128_t a, v128_t b, v128_t mask) { return (a & mask) | (b & ~mask); }
/* pmin(a, b) = b < a ? b : a;  pmax(a, b) = a < b ? b : a (wasm's pseudo-min/max) */
GATED_SIMD v128_t wasm_f32x4_pmin(v128_t a, v128_t b) { return wasm_v128_bitselect(b, a, wasm_f32x4_lt(b, a)); }
GATED_SIMD v128_t wasm_f32x4_pmax(v128_t a, v128_t b) { return wasm_v128_bitselect(b, a, wasm_f32x4_lt(a, b)); }
/* NaN-propagating max; the kernels only use it as relu, max(v, 0) */
GATED_SIMD v128_t wasm_f32x4_max(v128_t a, v128_t b) {
  v128_t nan = GATED_V(GATED_F(a) != GATED_F(a));
  return wasm_v128_or(wasm_v128_bitselect(a, b, wasm_f32x4_gt(a, b)), nan & a);
}
GATED_SIMD v128_t wasm_i32x4_sub(v128_t a, v128_t b) { return a - b; }
GATED_SIMD v128_t wasm_i32x4_shl(v128_t a, int n) { return a << n; }

#endif
