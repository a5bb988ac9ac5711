/* Shared declarations of the fused recurrent kernels (wasm32 + simd128, no libc; or native through simd-native.h). */
#ifndef GATED_COMMON_H
#define GATED_COMMON_H

#ifdef __wasm__
#include <wasm_simd128.h>
#define EXPORT(name) __attribute__((export_name(#name)))
typedef unsigned int usize;
#define VL 4 /* lanes of v128_t */
#else
/* native (packages/cells/native): the same sources on x86-64; exports are wrapped by the Node-API addon */
#include "simd-native.h"
#define EXPORT(name)
typedef unsigned long usize;
#endif
#define NR 8 /* columns of one packed B panel (wasm's gemm.c; the native GEMM has its own) */

/* Bump allocator over linear memory: JS resets it per call and allocates every buffer from it. */
void *arena_alloc(usize bytes);
usize arena_mark(void);
void arena_release(usize mark);

/* op(B)[K,N] (transB: B is stored [N,K]) packed into zero-padded panels of NR columns, each [K][NR]. */
float *pack_b(int K, int N, const float *B, int ldb, int transB);
/* C[M,N] (+)= op(A)[M,K] · Bp, with Bp from pack_b; transA: A is stored [K,M]. */
void gemm_packed(int M, int N, int K, const float *A, int lda, int transA, const float *Bp, float *C, int ldc,
                 int accumulate);
/* Row-blocked layout for matrix-vector products (batch 1): W [N, K] row-major → blocks of 6 rows, each
 * [ceil(K/4)][6 rows][4], zero-padded, so one block is one contiguous stream of f32x4 loads. */
usize rows_packed_floats(int K, int N);
void pack_rows(int K, int N, const float *W, float *dst);
/* y[N] (+)= W x for one vector x of K floats (read in f32x4 chunks: x must have room for K rounded up to 4, the
 * padding zero), W packed by pack_rows. */
void gemv_rows(int K, int N, const float *x, const float *Wp, float *y, int accumulate);
/* C (+)= op(A) · op(B), packing B into arena scratch. */
void gemm(int M, int N, int K, const float *A, int lda, int transA, const float *B, int ldb, int transB, float *C,
          int ldc, int accumulate);

void fill_zero(float *p, int n);
void copy_floats(float *dst, const float *src, int n);

#ifdef __wasm__
#define ROWS_ARE_PANELS 0
#else
/* natively pack_rows stores the GEMM's B panels of Wᵀ: kept rows serve any number of rows, not just one */
#define ROWS_ARE_PANELS 1
#endif

/* Y[M, N] = X[M, K] · Wᵀ (W stored [N, K]), for rows of every step's input at once or a chunk of steps at a time.
 * proj_panels prepares W once: kept rows wRows where they serve M rows, else W packed into the GEMM's panels, else
 * (one row with kept rows, in wasm) 0, and input_projection then runs one matrix-vector product, packing nothing. */
static inline const float *proj_panels(int M, int N, int K, const float *w, const float *wRows) {
  if (wRows && (ROWS_ARE_PANELS || M == 1)) return ROWS_ARE_PANELS ? wRows : 0;
  return pack_b(K, N, w, K, 1);
}
static inline void input_projection(int M, int N, int K, const float *x, const float *panels, const float *wRows, float *y) {
  if (panels) {
    gemm_packed(M, N, K, x, K, 0, panels, y, N, 0);
    return;
  }
  const int Kp = (K + 3) & ~3;
  usize mark = arena_mark();
  float *xp = (float *)arena_alloc((usize)Kp * 4);
  fill_zero(xp, Kp);
  copy_floats(xp, x, K);
  gemv_rows(K, N, xp, wRows, y, 0);
  arena_release(mark);
}
/* Floats of the gate buffer an inference call (nothing kept for a backward) projects into at a time: a few steps'
 * worth that stay in cache, instead of every step's gates written out and read back. */
#define CHUNK_FLOATS (1u << 17)
static inline int chunk_steps(int T, int rowFloats) {
  int c = (int)(CHUNK_FLOATS / (unsigned)(rowFloats > 0 ? rowFloats : 1));
  return c < 1 ? 1 : c > T ? T : c;
}
/* dst[j] += src[j] */
void add_floats(float *dst, const float *src, int n);
/* dst[j] = a[j] · b[j] */
void mul_floats(float *dst, const float *a, const float *b, int n);
/* dst[j] += a[j] · b[j] */
void add_mul_floats(float *dst, const float *a, const float *b, int n);
/* out[j] = sum over rows of A[rows, cols] (lda) */
void column_sums(int rows, int cols, const float *A, int lda, float *out);

/* Vector math, float32, |rel err| ≲ 2e-7 on the ranges the gates see; inline so the gate loops schedule freely.
 * exp / tanh on f32x4 without libm: Cody–Waite range reduction and a degree-6 polynomial. */
static inline v128_t v_exp(v128_t x) {
  /* e^x = 2^n · e^r, n = round(x / ln2), |r| ≤ ln2/2. pmin/pmax (one instruction each, unlike the NaN-exact
   * min/max) clamp; adding 1.5·2²³ rounds x/ln2 to the nearest integer n and leaves n in the low mantissa bits,
   * so 2^n is built from those bits without a float→int conversion. */
  x = wasm_f32x4_pmin(wasm_f32x4_pmax(x, wasm_f32x4_splat(-87.0f)), wasm_f32x4_splat(88.0f));
  const v128_t magic = wasm_f32x4_splat(12582912.0f);
  v128_t nm = wasm_f32x4_add(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)), magic);
  v128_t n = wasm_f32x4_sub(nm, magic);
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
  /* bits of nm are 0x4B400000 + n: (n + 127) << 23 = (bits(nm) − 0x4B400000 + 127) << 23 */
  v128_t scale = wasm_i32x4_shl(wasm_i32x4_sub(nm, wasm_i32x4_splat(0x4B400000 - 127)), 23);
  return wasm_f32x4_mul(p, scale);
}

static inline v128_t v_tanh(v128_t x) {
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

static inline v128_t v_sigmoid(v128_t x) {
  /* σ(x) = 1 / (1 + e^{−x}) */
  return wasm_f32x4_div(wasm_f32x4_splat(1.0f), wasm_f32x4_add(wasm_f32x4_splat(1.0f), v_exp(wasm_f32x4_neg(x))));
}
static inline float s_sigmoid(float x) { return wasm_f32x4_extract_lane(v_sigmoid(wasm_f32x4_splat(x)), 0); }
static inline float s_tanh(float x) { return wasm_f32x4_extract_lane(v_tanh(wasm_f32x4_splat(x)), 0); }

/* Loads/stores of n ≤ VL lanes (the tail of a row whose length is not a multiple of VL); missing lanes read 0.
 * The gate loops step by VL: 4 in wasm; natively the lanes of the instruction set the kernel is compiled for. */
static inline v128_t load_n(const float *p, int n) {
  if (n >= VL) return wasm_v128_load(p);
  float t[VL] __attribute__((aligned(16))) = {0.0f};
  for (int i = 0; i < n; i++) t[i] = p[i];
  return wasm_v128_load(t);
}
static inline void store_n(float *p, v128_t v, int n) {
  if (n >= VL) {
    wasm_v128_store(p, v);
    return;
  }
  float t[VL] __attribute__((aligned(16)));
  wasm_v128_store(t, v);
  for (int i = 0; i < n; i++) p[i] = t[i];
}
#define VADD wasm_f32x4_add
#define VSUB wasm_f32x4_sub
#define VMUL wasm_f32x4_mul
#define VSPLAT wasm_f32x4_splat

static inline int step_valid(const int *lengths, int b, int t) { return lengths == 0 || t < lengths[b]; }

#endif
