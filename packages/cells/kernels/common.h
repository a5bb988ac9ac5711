/* Shared declarations of the fused recurrent kernels (wasm32 + simd128, no libc). */
#ifndef GATED_COMMON_H
#define GATED_COMMON_H

#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
#define NR 8 /* columns of one packed B panel */

typedef unsigned int usize;

/* Bump allocator over linear memory: JS resets it per call and allocates every buffer from it. */
void *arena_alloc(usize bytes);
usize arena_mark(void);
void arena_release(usize mark);

/* op(B)[K,N] (transB: B is stored [N,K]) packed into zero-padded panels of NR columns, each [K][NR]. */
float *pack_b(int K, int N, const float *B, int ldb, int transB);
/* C[M,N] (+)= op(A)[M,K] · Bp, with Bp from pack_b; transA: A is stored [K,M]. */
void gemm_packed(int M, int N, int K, const float *A, int lda, int transA, const float *Bp, float *C, int ldc,
                 int accumulate);
/* C (+)= op(A) · op(B), packing B into arena scratch. */
void gemm(int M, int N, int K, const float *A, int lda, int transA, const float *B, int ldb, int transB, float *C,
          int ldc, int accumulate);

void fill_zero(float *p, int n);
void copy_floats(float *dst, const float *src, int n);
/* dst[j] += src[j] */
void add_floats(float *dst, const float *src, int n);
/* dst[j] = a[j] · b[j] */
void mul_floats(float *dst, const float *a, const float *b, int n);
/* dst[j] += a[j] · b[j] */
void add_mul_floats(float *dst, const float *a, const float *b, int n);
/* out[j] = sum over rows of A[rows, cols] (lda) */
void column_sums(int rows, int cols, const float *A, int lda, float *out);

/* Vector math, float32, |rel err| ≲ 2e-7 on the ranges the gates see. */
v128_t v_exp(v128_t x);
static inline v128_t v_sigmoid(v128_t x) {
  /* σ(x) = 1 / (1 + e^{−x}) */
  return wasm_f32x4_div(wasm_f32x4_splat(1.0f), wasm_f32x4_add(wasm_f32x4_splat(1.0f), v_exp(wasm_f32x4_neg(x))));
}
v128_t v_tanh(v128_t x);
static inline float s_sigmoid(float x) { return wasm_f32x4_extract_lane(v_sigmoid(wasm_f32x4_splat(x)), 0); }
static inline float s_tanh(float x) { return wasm_f32x4_extract_lane(v_tanh(wasm_f32x4_splat(x)), 0); }

/* Loads/stores of n ≤ 4 lanes (the tail of a row whose length is not a multiple of 4); missing lanes read 0. */
static inline v128_t load_n(const float *p, int n) {
  if (n >= 4) return wasm_v128_load(p);
  float t[4] __attribute__((aligned(16))) = {0.0f, 0.0f, 0.0f, 0.0f};
  for (int i = 0; i < n; i++) t[i] = p[i];
  return wasm_v128_load(t);
}
static inline void store_n(float *p, v128_t v, int n) {
  if (n >= 4) {
    wasm_v128_store(p, v);
    return;
  }
  float t[4] __attribute__((aligned(16)));
  wasm_v128_store(t, v);
  for (int i = 0; i < n; i++) p[i] = t[i];
}
#define VADD wasm_f32x4_add
#define VSUB wasm_f32x4_sub
#define VMUL wasm_f32x4_mul
#define VSPLAT wasm_f32x4_splat

static inline int step_valid(const int *lengths, int b, int t) { return lengths == 0 || t < lengths[b]; }

#endif
