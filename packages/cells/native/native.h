/* Declarations shared by the native build of the kernels (the Node-API addon): thread pool, per-ISA GEMM tables. */
#ifndef GATED_NATIVE_H
#define GATED_NATIVE_H

#include "../kernels/common.h"

/* the arena (kernels/arena.c) beyond what common.h declares */
void arena_reset(void);

/* ---- thread pool (pool.c): fork-join over a fixed set of workers; worker 0 is the calling thread ---- */
typedef void (*pool_fn)(void *ctx, int worker, int workers);
/* Runs fn(ctx, w, n) for w in 0..n-1 on n = min(want, pool_threads()) threads and waits for all of them. */
void pool_run(int want, pool_fn fn, void *ctx);
int pool_threads(void);
void pool_set_threads(int n);
/* A per-worker scratch buffer of at least `bytes` (64-byte aligned, kept and grown across calls). */
float *pool_scratch(int worker, usize bytes);

/* ---- one instruction set's GEMM (gemm-native.c, compiled once per ISA) ---- */
typedef struct {
  const char *name;
  int nr; /* columns of one packed B panel */
  float *(*pack_b)(int K, int N, const float *B, int ldb, int transB);
  void (*pack_b_into)(int K, int N, const float *B, int ldb, int transB, float *dst);
  usize (*packed_floats)(int K, int N);
  void (*gemm_packed)(int M, int N, int K, const float *A, int lda, int transA, const float *Bp, float *C, int ldc,
                      int accumulate);
} gemm_isa;

extern const gemm_isa gemm_isa_avx512, gemm_isa_avx2, gemm_isa_base;
/* Picks the ISA by name ("avx512", "avx2", "base") or, with 0, the best this CPU runs; returns the one in use. */
const char *native_select_isa(const char *name);
const char *native_isa(void);
int native_isa_supported(const char *name);

#endif
