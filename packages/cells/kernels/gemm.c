/*
 * Blocked SGEMM on f32x4: B is packed into panels of NR = 8 columns ([K][8], contiguous), and a 4×8 register
 * tile of C (8 accumulators) is swept down the panel, one broadcast of A and two loads of B per k. Two special
 * cases: a single row (batch-1 inference) takes panels in pairs, and Aᵀ with a long K (weight gradients over
 * all time steps) is packed into 4-row strips first.
 */
#include "common.h"

float *pack_b(int K, int N, const float *B, int ldb, int transB) {
  int panels = (N + NR - 1) / NR;
  float *out = (float *)arena_alloc((usize)panels * K * NR * sizeof(float));
  for (int jp = 0; jp < panels; jp++) {
    float *dst = out + (usize)jp * K * NR;
    int j0 = jp * NR;
    int cols = N - j0 < NR ? N - j0 : NR;
    if (!transB && cols == NR) {
      for (int k = 0; k < K; k++) wasm_v128_store(dst + k * NR, wasm_v128_load(B + (usize)k * ldb + j0)),
                                  wasm_v128_store(dst + k * NR + 4, wasm_v128_load(B + (usize)k * ldb + j0 + 4));
      continue;
    }
    for (int k = 0; k < K; k++) {
      for (int c = 0; c < NR; c++) {
        float v = 0.0f;
        if (c < cols) v = transB ? B[(usize)(j0 + c) * ldb + k] : B[(usize)k * ldb + j0 + c];
        dst[k * NR + c] = v;
      }
    }
  }
  return out;
}

static inline void store_tile_row(float *c, v128_t lo, v128_t hi, int cols, int accumulate) {
  if (cols == NR) {
    if (accumulate) {
      lo = wasm_f32x4_add(lo, wasm_v128_load(c));
      hi = wasm_f32x4_add(hi, wasm_v128_load(c + 4));
    }
    wasm_v128_store(c, lo);
    wasm_v128_store(c + 4, hi);
    return;
  }
  float tmp[NR] __attribute__((aligned(16)));
  wasm_v128_store(tmp, lo);
  wasm_v128_store(tmp + 4, hi);
  for (int j = 0; j < cols; j++) c[j] = accumulate ? c[j] + tmp[j] : tmp[j];
}

/* 4 rows of C; A element (i, k) sits at A[i·si + k·sk]. */
static void tile4(int K, const float *A, usize si, usize sk, const float *Bp, float *C, int ldc, int cols,
                  int accumulate) {
  v128_t c00 = wasm_f32x4_splat(0.0f), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  const float *a0 = A, *a1 = A + si, *a2 = A + 2 * si, *a3 = A + 3 * si;
  for (int k = 0; k < K; k++) {
    v128_t b0 = wasm_v128_load(Bp), b1 = wasm_v128_load(Bp + 4);
    Bp += NR;
    usize o = (usize)k * sk;
    v128_t x0 = wasm_f32x4_splat(a0[o]), x1 = wasm_f32x4_splat(a1[o]);
    v128_t x2 = wasm_f32x4_splat(a2[o]), x3 = wasm_f32x4_splat(a3[o]);
    c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(x0, b0));
    c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(x0, b1));
    c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(x1, b0));
    c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(x1, b1));
    c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(x2, b0));
    c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(x2, b1));
    c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(x3, b0));
    c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(x3, b1));
  }
  store_tile_row(C, c00, c01, cols, accumulate);
  store_tile_row(C + ldc, c10, c11, cols, accumulate);
  store_tile_row(C + 2 * (usize)ldc, c20, c21, cols, accumulate);
  store_tile_row(C + 3 * (usize)ldc, c30, c31, cols, accumulate);
}

static void tile1(int K, const float *A, usize sk, const float *Bp, float *C, int cols, int accumulate) {
  v128_t c0 = wasm_f32x4_splat(0.0f), c1 = c0, d0 = c0, d1 = c0;
  int k = 0;
  /* two independent chains so a single row (batch 1 inference) is not latency-bound */
  for (; k + 1 < K; k += 2) {
    v128_t x0 = wasm_f32x4_splat(A[(usize)k * sk]), x1 = wasm_f32x4_splat(A[(usize)(k + 1) * sk]);
    c0 = wasm_f32x4_add(c0, wasm_f32x4_mul(x0, wasm_v128_load(Bp)));
    c1 = wasm_f32x4_add(c1, wasm_f32x4_mul(x0, wasm_v128_load(Bp + 4)));
    d0 = wasm_f32x4_add(d0, wasm_f32x4_mul(x1, wasm_v128_load(Bp + NR)));
    d1 = wasm_f32x4_add(d1, wasm_f32x4_mul(x1, wasm_v128_load(Bp + NR + 4)));
    Bp += 2 * NR;
  }
  if (k < K) {
    v128_t x0 = wasm_f32x4_splat(A[(usize)k * sk]);
    c0 = wasm_f32x4_add(c0, wasm_f32x4_mul(x0, wasm_v128_load(Bp)));
    c1 = wasm_f32x4_add(c1, wasm_f32x4_mul(x0, wasm_v128_load(Bp + 4)));
  }
  store_tile_row(C, wasm_f32x4_add(c0, d0), wasm_f32x4_add(c1, d1), cols, accumulate);
}

/* One row against two full panels (16 columns): one broadcast of A feeds four multiply-adds. */
static void tile1x2(int K, const float *A, usize sk, const float *P0, const float *P1, float *C, int accumulate) {
  v128_t c0 = wasm_f32x4_splat(0.0f), c1 = c0, c2 = c0, c3 = c0;
  for (int k = 0; k < K; k++) {
    v128_t x = wasm_f32x4_splat(A[(usize)k * sk]);
    c0 = wasm_f32x4_add(c0, wasm_f32x4_mul(x, wasm_v128_load(P0)));
    c1 = wasm_f32x4_add(c1, wasm_f32x4_mul(x, wasm_v128_load(P0 + 4)));
    c2 = wasm_f32x4_add(c2, wasm_f32x4_mul(x, wasm_v128_load(P1)));
    c3 = wasm_f32x4_add(c3, wasm_f32x4_mul(x, wasm_v128_load(P1 + 4)));
    P0 += NR;
    P1 += NR;
  }
  store_tile_row(C, c0, c1, NR, accumulate);
  store_tile_row(C + NR, c2, c3, NR, accumulate);
}

void gemm_packed(int M, int N, int K, const float *A, int lda, int transA, const float *Bp, float *C, int ldc,
                 int accumulate) {
  if (M == 1 && N >= 2 * NR) {
    /* a single row (batch-1 inference): pairs of panels */
    usize sk = transA ? (usize)lda : 1u;
    int full = N / NR, jp = 0;
    for (; jp + 1 < full; jp += 2)
      tile1x2(K, A, sk, Bp + (usize)jp * K * NR, Bp + (usize)(jp + 1) * K * NR, C + jp * NR, accumulate);
    for (int panels = (N + NR - 1) / NR; jp < panels; jp++) {
      int j0 = jp * NR, cols = N - j0 < NR ? N - j0 : NR;
      tile1(K, A, sk, Bp + (usize)jp * K * NR, C + j0, cols, accumulate);
    }
    return;
  }
  usize si = transA ? 1u : (usize)lda, sk = transA ? (usize)lda : 1u;
  int panels = (N + NR - 1) / NR;
  for (int jp = 0; jp < panels; jp++) {
    const float *panel = Bp + (usize)jp * K * NR;
    int j0 = jp * NR;
    int cols = N - j0 < NR ? N - j0 : NR;
    int i = 0;
    for (; i + 4 <= M; i += 4) tile4(K, A + i * si, si, sk, panel, C + (usize)i * ldc + j0, ldc, cols, accumulate);
    for (; i < M; i++) tile1(K, A + i * si, sk, panel, C + (usize)i * ldc + j0, cols, accumulate);
  }
}

/*
 * C (+)= Aᵀ · Bp for a long K (the weight gradients, K = T·B): A is stored [K, M], so a 4-row tile of Aᵀ would
 * touch a new cache line of A at every k, for every panel. Packing A into [M/4][K][4] makes each tile one
 * contiguous stream that stays in L1 while it sweeps all of B's panels.
 */
static void gemm_packed_ta(int M, int N, int K, const float *A, int lda, const float *Bp, float *C, int ldc,
                           int accumulate) {
  const int tiles = M / 4, panels = (N + NR - 1) / NR;
  float *Ap = (float *)arena_alloc((usize)tiles * K * 4 * sizeof(float));
  for (int k = 0; k < K; k++)
    for (int t = 0; t < tiles; t++)
      wasm_v128_store(Ap + ((usize)t * K + k) * 4, wasm_v128_load(A + (usize)k * lda + t * 4));
  for (int t = 0; t < tiles; t++)
    for (int jp = 0; jp < panels; jp++) {
      int j0 = jp * NR, cols = N - j0 < NR ? N - j0 : NR;
      tile4(K, Ap + (usize)t * K * 4, 1, 4, Bp + (usize)jp * K * NR, C + (usize)t * 4 * ldc + j0, ldc, cols, accumulate);
    }
  for (int i = tiles * 4; i < M; i++)
    for (int jp = 0; jp < panels; jp++) {
      int j0 = jp * NR, cols = N - j0 < NR ? N - j0 : NR;
      tile1(K, A + i, (usize)lda, Bp + (usize)jp * K * NR, C + (usize)i * ldc + j0, cols, accumulate);
    }
}

void gemm(int M, int N, int K, const float *A, int lda, int transA, const float *B, int ldb, int transB, float *C,
          int ldc, int accumulate) {
  usize mark = arena_mark();
  const float *Bp = pack_b(K, N, B, ldb, transB);
  if (transA && M >= 4 && K >= 64) gemm_packed_ta(M, N, K, A, lda, Bp, C, ldc, accumulate);
  else gemm_packed(M, N, K, A, lda, transA, Bp, C, ldc, accumulate);
  arena_release(mark);
}

/* Exported for the benchmark's GFLOP/s yardstick: C[M,N] = A[M,K] · B[K,N], all row-major. */
EXPORT(sgemm) void sgemm(int M, int N, int K, const float *A, const float *B, float *C) {
  gemm(M, N, K, A, K, 0, B, N, 0, C, N, 0);
}

/*
 * Matrix-vector products for batch 1 (W2-like inference). Each step streams all of W_hh for one multiply-add
 * per weight, so the layout is what counts: pack_rows stores 6 rows at a time as [K/4][6][4], one contiguous
 * stream per block, and gemv_rows keeps 6 independent accumulators (one per row, a dot product over k in f32x4
 * chunks, reduced across lanes once per block) with one load of x shared by the 6 rows. Six, not eight: V8 keeps
 * 15 xmm registers for wasm, and 8 accumulators + 8 loads spill an accumulator, which then carries its loop
 * dependency through memory (6 rows measured ~6 % faster). The packing is done once per weight matrix (the bridge
 * caches it across calls), not per step.
 */
#define GEMV_ROWS 6

usize rows_packed_floats(int K, int N) {
  return (usize)((N + GEMV_ROWS - 1) / GEMV_ROWS) * GEMV_ROWS * (usize)((K + 3) / 4) * 4;
}

EXPORT(rows_packed_bytes) usize rows_packed_bytes(int K, int N) { return rows_packed_floats(K, N) * sizeof(float); }

EXPORT(pack_rows) void pack_rows(int K, int N, const float *W, float *dst) {
  const int kc = (K + 3) / 4;
  for (int j = 0; j < N; j += GEMV_ROWS)
    for (int c = 0; c < kc; c++) {
      const int k = 4 * c, n = K - k < 4 ? K - k : 4;
      for (int r = 0; r < GEMV_ROWS; r++, dst += 4)
        wasm_v128_store(dst, j + r < N ? load_n(W + (usize)(j + r) * K + k, n) : wasm_f32x4_splat(0.0f));
    }
}

/* lane r = the sum of a_r's four lanes */
static inline v128_t hsum4(v128_t a0, v128_t a1, v128_t a2, v128_t a3) {
  v128_t t0 = VADD(wasm_i32x4_shuffle(a0, a1, 0, 4, 1, 5), wasm_i32x4_shuffle(a0, a1, 2, 6, 3, 7));
  v128_t t1 = VADD(wasm_i32x4_shuffle(a2, a3, 0, 4, 1, 5), wasm_i32x4_shuffle(a2, a3, 2, 6, 3, 7));
  return VADD(wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5), wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7));
}

void gemv_rows(int K, int N, const float *x, const float *Wp, float *y, int accumulate) {
  const int kc = (K + 3) / 4;
  const float *p = Wp;
  for (int j = 0; j < N; j += GEMV_ROWS) {
    v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
    for (int c = 0; c < kc; c++, p += 4 * GEMV_ROWS) {
      v128_t v = wasm_v128_load(x + 4 * c);
      a0 = VADD(a0, VMUL(v, wasm_v128_load(p)));
      a1 = VADD(a1, VMUL(v, wasm_v128_load(p + 4)));
      a2 = VADD(a2, VMUL(v, wasm_v128_load(p + 8)));
      a3 = VADD(a3, VMUL(v, wasm_v128_load(p + 12)));
      a4 = VADD(a4, VMUL(v, wasm_v128_load(p + 16)));
      a5 = VADD(a5, VMUL(v, wasm_v128_load(p + 20)));
    }
    /* lanes 0-3: rows j..j+3; lanes 0-1 of hi: rows j+4, j+5 */
    v128_t lo = hsum4(a0, a1, a2, a3), hi = hsum4(a4, a5, a4, a5);
    const int n = N - j < GEMV_ROWS ? N - j : GEMV_ROWS;
    const int nlo = n < 4 ? n : 4, nhi = n - nlo;
    if (accumulate) lo = VADD(lo, load_n(y + j, nlo));
    store_n(y + j, lo, nlo);
    if (nhi > 0) {
      float *t = y + j + 4;
      t[0] = (accumulate ? t[0] : 0.0f) + wasm_f32x4_extract_lane(hi, 0);
      if (nhi > 1) t[1] = (accumulate ? t[1] : 0.0f) + wasm_f32x4_extract_lane(hi, 1);
    }
  }
}
