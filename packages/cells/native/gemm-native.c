/*
 * Blocked SGEMM for one x86-64 instruction set, compiled once per ISA (build.sh: AVX-512, AVX2 + FMA, SSE2) from
 * this one source in clang's generic vectors of VW floats. B is packed once into panels of NR = 2·VW columns
 * ([K][NR] each, zero-padded) — the recurrent kernels pack W_hh once per sequence and reuse it every step; A is
 * packed per K block into strips of MR rows ([kc][MR]) so the micro-kernel's broadcasts read one stream. An MR × NR
 * register tile (2·MR accumulators) sweeps a panel's K block held in L1 while A's strips come from L2. One row
 * (batch 1) takes a matrix-vector kernel over four panels at a time (8 independent accumulators).
 * Threads split the output tiles (panels, or strips when there are few panels); every element of C is summed in
 * the same order whatever the split, so results do not depend on the thread count.
 */
#include "native.h"

#if defined(__AVX512F__)
#define VW 16
#define MR 8
#define ISA_NAME avx512
#elif defined(__AVX2__)
#define VW 8
#define MR 6
#define ISA_NAME avx2
#else
#define VW 4
#define MR 6
#define ISA_NAME base
#endif
#define NRW (2 * VW)
#define KC 256 /* K block: a panel's block is KC·NR floats (32 KiB for AVX-512), an L1's worth */
#define MC (16 * MR)

#define CAT_(a, b) a##_##b
#define CAT(a, b) CAT_(a, b)
#define F(name) CAT(name, ISA_NAME)
#define STR_(a) #a
#define STR(a) STR_(a)

typedef float vf __attribute__((vector_size(VW * 4), aligned(4), may_alias));

static usize F(packed_floats)(int K, int N) { return (usize)((N + NRW - 1) / NRW) * K * NRW; }

static void F(pack_b_into)(int K, int N, const float *B, int ldb, int transB, float *out) {
  int panels = (N + NRW - 1) / NRW;
  for (int jp = 0; jp < panels; jp++) {
    float *dst = out + (usize)jp * K * NRW;
    int j0 = jp * NRW, cols = N - j0 < NRW ? N - j0 : NRW;
    if (!transB && cols == NRW) {
      for (int k = 0; k < K; k++) {
        const float *src = B + (usize)k * ldb + j0;
        *(vf *)(dst + (usize)k * NRW) = *(const vf *)src;
        *(vf *)(dst + (usize)k * NRW + VW) = *(const vf *)(src + VW);
      }
      continue;
    }
    if (transB) {
      /* B stored [N, K]: column c of the panel is row j0 + c of B */
      for (int k = 0; k < K; k++)
        for (int c = cols; c < NRW; c++) dst[(usize)k * NRW + c] = 0.0f;
      for (int c = 0; c < cols; c++) {
        const float *src = B + (usize)(j0 + c) * ldb;
        for (int k = 0; k < K; k++) dst[(usize)k * NRW + c] = src[k];
      }
      continue;
    }
    for (int k = 0; k < K; k++)
      for (int c = 0; c < NRW; c++) dst[(usize)k * NRW + c] = c < cols ? B[(usize)k * ldb + j0 + c] : 0.0f;
  }
}

static float *F(pack_b)(int K, int N, const float *B, int ldb, int transB) {
  float *out = (float *)arena_alloc(F(packed_floats)(K, N) * sizeof(float));
  F(pack_b_into)(K, N, B, ldb, transB, out);
  return out;
}

/* Strips of MR rows of op(A)[i0 .. i0 + rows, k0 .. k0 + kc] into dst [strips][kc][MR], missing rows zero. */
static void pack_a(int rows, int kc, const float *A, int lda, int transA, int i0, int k0, float *dst) {
  for (int s = 0; s < rows; s += MR, dst += (usize)kc * MR) {
    int n = rows - s < MR ? rows - s : MR;
    if (transA) {
      /* A stored [K, M]: row k of storage holds op(A)[:, k] */
      for (int k = 0; k < kc; k++) {
        const float *src = A + (usize)(k0 + k) * lda + i0 + s;
        float *d = dst + (usize)k * MR;
        int r = 0;
        for (; r < n; r++) d[r] = src[r];
        for (; r < MR; r++) d[r] = 0.0f;
      }
    } else {
      for (int r = 0; r < MR; r++) {
        if (r < n) {
          const float *src = A + (usize)(i0 + s + r) * lda + k0;
          for (int k = 0; k < kc; k++) dst[(usize)k * MR + r] = src[k];
        } else {
          for (int k = 0; k < kc; k++) dst[(usize)k * MR + r] = 0.0f;
        }
      }
    }
  }
}

/* C[rows ≤ MR, cols ≤ NR] (+)= A · Bp[kc][NR], A's element (r, k) at ap[k·kstep + r·rstep]: a packed strip
 * (kstep MR, rstep 1) or, unpacked, a strip of A where it lies. Inlined for each. */
static inline __attribute__((always_inline)) void micro_any(int kc, const float *ap, usize kstep, usize rstep,
                                                            const float *bp, float *C, int ldc, int rows, int cols,
                                                            int accumulate) {
  vf c[MR][2];
  for (int r = 0; r < MR; r++) c[r][0] = c[r][1] = (vf){0};
  for (int k = 0; k < kc; k++, ap += kstep, bp += NRW) {
    const vf b0 = *(const vf *)bp, b1 = *(const vf *)(bp + VW);
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
      const float a = ap[r * rstep];
      c[r][0] += a * b0;
      c[r][1] += a * b1;
    }
  }
  if (cols == NRW) {
    for (int r = 0; r < rows; r++) {
      vf *d0 = (vf *)(C + (usize)r * ldc), *d1 = (vf *)(C + (usize)r * ldc + VW);
      if (accumulate) {
        *d0 += c[r][0];
        *d1 += c[r][1];
      } else {
        *d0 = c[r][0];
        *d1 = c[r][1];
      }
    }
    return;
  }
  float tmp[NRW];
  for (int r = 0; r < rows; r++) {
    *(vf *)tmp = c[r][0];
    *(vf *)(tmp + VW) = c[r][1];
    float *d = C + (usize)r * ldc;
    for (int j = 0; j < cols; j++) d[j] = accumulate ? d[j] + tmp[j] : tmp[j];
  }
}
static void micro(int kc, const float *ap, const float *bp, float *C, int ldc, int rows, int cols, int accumulate) {
  micro_any(kc, ap, MR, 1, bp, C, ldc, rows, cols, accumulate);
}
/* a full strip of A read in place: rows MR apart by lda (kstep 1), or, transposed, k apart by lda (rstep 1) */
static void micro_rows(int kc, const float *ap, usize lda, const float *bp, float *C, int ldc, int cols, int accumulate) {
  micro_any(kc, ap, 1, lda, bp, C, ldc, MR, cols, accumulate);
}
static void micro_cols(int kc, const float *ap, usize lda, const float *bp, float *C, int ldc, int cols, int accumulate) {
  micro_any(kc, ap, lda, 1, bp, C, ldc, MR, cols, accumulate);
}

/* y[j0 ..] (+)= x · Bp over `np` ≤ 4 panels (one row of A: batch 1), K from k0 with kc steps */
static void gemv_panels(int K, int N, const float *x, const float *Bp, int jp0, int np, float *y, int accumulate) {
  vf a[4][2];
  for (int p = 0; p < 4; p++) a[p][0] = a[p][1] = (vf){0};
  const float *b[4];
  for (int p = 0; p < 4; p++) b[p] = Bp + (usize)(jp0 + (p < np ? p : 0)) * K * NRW;
  if (np == 4) {
    for (int k = 0; k < K; k++) {
      const float v = x[k];
      const usize o = (usize)k * NRW;
#pragma clang loop unroll(full)
      for (int p = 0; p < 4; p++) {
        a[p][0] += v * *(const vf *)(b[p] + o);
        a[p][1] += v * *(const vf *)(b[p] + o + VW);
      }
    }
  } else {
    for (int k = 0; k < K; k++) {
      const float v = x[k];
      const usize o = (usize)k * NRW;
      for (int p = 0; p < np; p++) {
        a[p][0] += v * *(const vf *)(b[p] + o);
        a[p][1] += v * *(const vf *)(b[p] + o + VW);
      }
    }
  }
  for (int p = 0; p < np; p++) {
    const int j0 = (jp0 + p) * NRW, cols = N - j0 < NRW ? N - j0 : NRW;
    float tmp[NRW];
    *(vf *)tmp = a[p][0];
    *(vf *)(tmp + VW) = a[p][1];
    float *d = y + j0;
    for (int j = 0; j < cols; j++) d[j] = accumulate ? d[j] + tmp[j] : tmp[j];
  }
}

typedef struct {
  int M, N, K, lda, transA, ldc, accumulate, panels, strips, splitPanels, backwards;
  const float *A, *Bp;
  float *C;
} gemm_job;

static void range_of(int total, int w, int n, int *begin, int *end) {
  *begin = (int)((long)total * w / n);
  *end = (int)((long)total * (w + 1) / n);
}

static void F(gemm_worker)(void *ctx, int w, int n) {
  const gemm_job *j = (const gemm_job *)ctx;
  int p0 = 0, p1 = j->panels, s0 = 0, s1 = j->strips;
  if (j->splitPanels) range_of(j->panels, w, n, &p0, &p1);
  else range_of(j->strips, w, n, &s0, &s1);
  if (p0 >= p1 || s0 >= s1) return;
  if (j->M == 1) {
    /* matrix-vector: x is one contiguous row when !transA, else strided: gather it once */
    const float *x = j->A;
    if (j->transA) {
      float *xs = pool_scratch(w, (usize)j->K * sizeof(float));
      for (int k = 0; k < j->K; k++) xs[k] = j->A[(usize)k * j->lda];
      x = xs;
    }
    const int groups = (p1 - p0 + 3) / 4;
    for (int q = 0; q < groups; q++) {
      const int p = p0 + 4 * (j->backwards ? groups - 1 - q : q);
      gemv_panels(j->K, j->N, x, j->Bp, p, p1 - p < 4 ? p1 - p : 4, j->C, j->accumulate);
    }
    return;
  }
  const int kcMax = j->K < KC ? j->K : KC;
  float *Ap = pool_scratch(w, (usize)MC * kcMax * sizeof(float));
  /* with one or two panels each strip of A serves at most two micro-kernel calls: packing it would cost about as
   * much as the products, so full strips are read where they lie (the same sums in the same order) */
  const int direct = j->panels <= 2;
  for (int k0 = 0; k0 < j->K; k0 += KC) {
    const int kc = j->K - k0 < KC ? j->K - k0 : KC;
    const int acc = j->accumulate || k0 > 0;
    if (direct) {
      for (int s = s0; s < s1; s++) {
        const int r0 = s * MR, nr = j->M - r0 < MR ? j->M - r0 : MR;
        if (nr < MR) pack_a(nr, kc, j->A, j->lda, j->transA, r0, k0, Ap);
        for (int p = p0; p < p1; p++) {
          const int c0 = p * NRW, cols = j->N - c0 < NRW ? j->N - c0 : NRW;
          const float *bp = j->Bp + (usize)p * j->K * NRW + (usize)k0 * NRW;
          float *C = j->C + (usize)r0 * j->ldc + c0;
          if (nr < MR) micro(kc, Ap, bp, C, j->ldc, nr, cols, acc);
          else if (j->transA) micro_cols(kc, j->A + (usize)k0 * j->lda + r0, (usize)j->lda, bp, C, j->ldc, cols, acc);
          else micro_rows(kc, j->A + (usize)r0 * j->lda + k0, (usize)j->lda, bp, C, j->ldc, cols, acc);
        }
      }
      continue;
    }
    for (int sc = s0; sc < s1; sc += MC / MR) {
      const int se = sc + MC / MR < s1 ? sc + MC / MR : s1;
      const int i0 = sc * MR, rows = (se * MR < j->M ? se * MR : j->M) - i0;
      pack_a(rows, kc, j->A, j->lda, j->transA, i0, k0, Ap);
      for (int p = p0; p < p1; p++) {
        const int c0 = p * NRW, cols = j->N - c0 < NRW ? j->N - c0 : NRW;
        const float *bp = j->Bp + (usize)p * j->K * NRW + (usize)k0 * NRW;
        for (int s = sc; s < se; s++) {
          const int r0 = s * MR, nr = j->M - r0 < MR ? j->M - r0 : MR;
          micro(kc, Ap + (usize)(s - sc) * kc * MR, bp, j->C + (usize)r0 * j->ldc + c0, j->ldc, nr, cols, acc);
        }
      }
    }
  }
}

/* A recurrence's matrix-vector steps read the same W over and over. A W about the size of L2 (LSTM hidden 256:
 * 1 MiB) swept the same way every step misses on nearly every line, each evicted just before it is needed again;
 * sweeping its panels back and forth on alternate calls starts each step on the panels the last one read, still
 * cached. The order of the panels changes no output's sum. Each W (by its packed address) keeps its own parity:
 * a streamed frame reads W_ih and then W_hh, and one counter shared by the two would sweep W_hh the same way every
 * frame. */
#define SWEEP_SLOTS 8
static int F(sweep_backwards)(const float *Bp) {
  static __thread struct {
    const float *w;
    unsigned calls;
  } slots[SWEEP_SLOTS];
  static __thread unsigned next = 0;
  for (int i = 0; i < SWEEP_SLOTS; i++)
    if (slots[i].w == Bp) return (int)(slots[i].calls++ & 1u);
  const unsigned i = next++ % SWEEP_SLOTS;
  slots[i].w = Bp;
  slots[i].calls = 1;
  return 0;
}

static void F(gemm_packed)(int M, int N, int K, const float *A, int lda, int transA, const float *Bp, float *C, int ldc,
                           int accumulate) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!accumulate)
      for (int i = 0; i < M; i++) fill_zero(C + (usize)i * ldc, N);
    return;
  }
  gemm_job j = {M, N, K, lda, transA, ldc, accumulate, (N + NRW - 1) / NRW, (M + MR - 1) / MR, 1, 0, A, Bp, C};
  if (M == 1) j.backwards = F(sweep_backwards)(Bp);
  /* below ~32 MFLOP (batch 1's matrix-vector steps, a streamed frame, a batch-1 sequence's input projection:
   * ≲ 0.1 ms on one core) waking a sleeping worker costs about what the split saves — and far more on a loaded
   * machine, where the other thread may not be running — so small problems stay on the calling thread and two
   * threads are never slower than one there */
  const double flops = 2.0 * M * N * K;
  int want = flops < 32.0e6 ? 1 : pool_threads();
  /* split panels unless there are too few of them to go round */
  j.splitPanels = M == 1 || j.panels >= 2 * want || j.panels >= j.strips;
  const int units = j.splitPanels ? (M == 1 ? (j.panels + 3) / 4 : j.panels) : j.strips;
  if (want > units) want = units;
  pool_run(want, F(gemm_worker), &j);
}

const gemm_isa CAT(gemm_isa, ISA_NAME) = {
    .name = STR(ISA_NAME),
    .nr = NRW,
    .pack_b = F(pack_b),
    .pack_b_into = F(pack_b_into),
    .packed_floats = F(packed_floats),
    .gemm_packed = F(gemm_packed),
};
