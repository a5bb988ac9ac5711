/*
 * The GEMM entry points the kernel sources call (common.h), forwarded to the instruction set chosen at load time by
 * CPU dispatch: AVX-512 where the CPU has it, else AVX2 + FMA, else SSE2 (x86-64's baseline).
 */
#include "native.h"

#include <stdlib.h>
#include <string.h>

static const gemm_isa *isa = 0;
static const kernel_set *kernels = 0;

#define KERNEL_SET(suffix)                                                                                             \
  extern lstm_forward_fn lstm_forward_##suffix;                                                                        \
  extern lstm_backward_fn lstm_backward_##suffix;                                                                      \
  extern gru_saved_width_fn gru_saved_width_##suffix;                                                                  \
  extern gru_forward_fn gru_forward_##suffix;                                                                          \
  extern gru_backward_fn gru_backward_##suffix;                                                                        \
  extern rnn_forward_fn rnn_forward_##suffix;                                                                          \
  extern rnn_backward_fn rnn_backward_##suffix;                                                                        \
  static const kernel_set kernels_##suffix = {lstm_forward_##suffix, lstm_backward_##suffix, gru_saved_width_##suffix, \
                                              gru_forward_##suffix,  gru_backward_##suffix,  rnn_forward_##suffix,     \
                                              rnn_backward_##suffix};
KERNEL_SET(avx512)
KERNEL_SET(avx2)
KERNEL_SET(base)

int native_isa_supported(const char *name) {
  __builtin_cpu_init();
  if (strcmp(name, "avx512") == 0) return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
  if (strcmp(name, "avx2") == 0) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return strcmp(name, "base") == 0;
}

const char *native_select_isa(const char *name) {
  const gemm_isa *all[] = {&gemm_isa_avx512, &gemm_isa_avx2, &gemm_isa_base};
  const kernel_set *sets[] = {&kernels_avx512, &kernels_avx2, &kernels_base};
  for (int i = 0; i < 3; i++) {
    if (name && strcmp(name, all[i]->name) != 0) continue;
    if (native_isa_supported(all[i]->name)) {
      isa = all[i];
      kernels = sets[i];
      return isa->name;
    }
  }
  return 0;
}

static inline const gemm_isa *current(void) {
  if (!isa) native_select_isa(0);
  return isa;
}

const char *native_isa(void) { return current()->name; }
const kernel_set *native_kernels(void) {
  current();
  return kernels;
}

/* Packings made once by their owner (a stream's layer) that pack_b hands out instead of packing again, for the calls
 * between native_use_packed(list) and native_use_packed(0) on this thread. */
static __thread const kept_packing *kept = 0;
static __thread int kept_count = 0;

void native_use_packed(const kept_packing *list, int count) {
  kept = list;
  kept_count = list ? count : 0;
}

float *pack_b(int K, int N, const float *B, int ldb, int transB) {
  for (int i = 0; i < kept_count; i++) {
    const kept_packing *p = &kept[i];
    if (p->packed && p->src == B && p->K == K && p->N == N && p->ldb == ldb && p->transB == transB)
      return (float *)p->packed;
  }
  return current()->pack_b(K, N, B, ldb, transB);
}

float *pack_b_owned(int K, int N, const float *B, int ldb, int transB) {
  const gemm_isa *g = current();
  float *dst = (float *)aligned_alloc(64, (g->packed_floats(K, N) * sizeof(float) + 63) & ~(usize)63);
  if (dst) g->pack_b_into(K, N, B, ldb, transB, dst);
  return dst;
}

void gemm_packed(int M, int N, int K, const float *A, int lda, int transA, const float *Bp, float *C, int ldc,
                 int accumulate) {
  current()->gemm_packed(M, N, K, A, lda, transA, Bp, C, ldc, accumulate);
}

void gemm(int M, int N, int K, const float *A, int lda, int transA, const float *B, int ldb, int transB, float *C,
          int ldc, int accumulate) {
  usize mark = arena_mark();
  const float *Bp = pack_b(K, N, B, ldb, transB);
  gemm_packed(M, N, K, A, lda, transA, Bp, C, ldc, accumulate);
  arena_release(mark);
}

void sgemm(int M, int N, int K, const float *A, const float *B, float *C) { gemm(M, N, K, A, K, 0, B, N, 0, C, N, 0); }

/* Batch 1: W [N, K] kept packed as the GEMM's B panels of Wᵀ, so a step is the GEMM's one-row kernel. */
usize rows_packed_floats(int K, int N) { return current()->packed_floats(K, N); }
usize rows_packed_bytes(int K, int N) { return rows_packed_floats(K, N) * sizeof(float); }
void pack_rows(int K, int N, const float *W, float *dst) { current()->pack_b_into(K, N, W, K, 1, dst); }
void gemv_rows(int K, int N, const float *x, const float *Wp, float *y, int accumulate) {
  current()->gemm_packed(1, N, K, x, K, 0, Wp, y, N, accumulate);
}
