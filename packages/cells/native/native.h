/* Declarations shared by the native build of the kernels (the Node-API addon): thread pool, per-ISA GEMM tables. */
#ifndef GATED_NATIVE_H
#define GATED_NATIVE_H

#include "../kernels/common.h"

/* the arena (kernels/arena.c) beyond what common.h declares */
void arena_reset(void);

/* ---- thread pool (pool.c): fork-join over a fixed set of workers; worker 0 is the calling thread ---- */
#define POOL_MAX_THREADS 64
typedef void (*pool_fn)(void *ctx, int worker, int workers);
/* Runs fn(ctx, w, n) for w in 0..n-1 on n = min(want, pool_threads()) threads and waits for all of them. */
void pool_run(int want, pool_fn fn, void *ctx);
int pool_threads(void);
void pool_set_threads(int n);
/* A per-worker scratch buffer of at least `bytes` (64-byte aligned, kept and grown across calls). */
float *pool_scratch(int worker, usize bytes);
/* Points the calling pool worker's arena at the address range kept for worker index `id` (memory.c). */
void native_bind_worker(int id);

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

/* ---- the recurrent kernels (kernels/lstm.c, gru.c, rnn.c), compiled once per ISA: the gate math in that ISA's
 * vector width (build.sh renames each build's entry points with the ISA's suffix) ---- */
typedef void lstm_forward_fn(int T, int B, int I, int H, int P, int reverse, const float *x, const float *wih,
                             const float *whh, const float *whhRows, const float *wihRows, const float *bih,
                             const float *bhh, const float *peep, const float *whr, const int *lengths, const float *rd,
                             const float *h0, const float *c0, float *out, float *hn, float *cn, float *gates, float *cs);
typedef void lstm_backward_fn(int T, int B, int I, int H, int P, int reverse, const float *x, const float *wih,
                              const float *whh, const float *peep, const float *whr, const int *lengths, const float *rd,
                              const float *h0, const float *c0, const float *out, const float *gates, const float *cs,
                              const float *dout, const float *dhn, const float *dcn, float *dx, float *dwih, float *dwhh,
                              float *db, float *dpeep, float *dwhr, float *dh0, float *dc0);
typedef int gru_saved_width_fn(int H, int resetAfter);
typedef void gru_forward_fn(int T, int B, int I, int H, int reverse, int resetAfter, const float *x, const float *wih,
                            const float *whh, const float *whhRows, const float *wihRows, const float *bih,
                            const float *bhh, const int *lengths, const float *rd, const float *h0, float *out, float *hn,
                            float *saved);
typedef void gru_backward_fn(int T, int B, int I, int H, int reverse, int resetAfter, const float *x, const float *wih,
                             const float *whh, const int *lengths, const float *rd, const float *h0, const float *out,
                             const float *saved, const float *dout, const float *dhn, float *dx, float *dwih,
                             float *dwhh, float *dbih, float *dbhh, float *dh0);
typedef void rnn_forward_fn(int T, int B, int I, int H, int reverse, int relu, const float *x, const float *wih,
                            const float *whh, const float *whhRows, const float *wihRows, const float *bih,
                            const float *bhh, const int *lengths, const float *rd, const float *h0, float *out,
                            float *hn);
typedef void rnn_backward_fn(int T, int B, int I, int H, int reverse, int relu, const float *x, const float *wih,
                             const float *whh, const int *lengths, const float *rd, const float *h0, const float *out,
                             const float *dout, const float *dhn, float *dx, float *dwih, float *dwhh, float *db,
                             float *dh0);
typedef struct {
  lstm_forward_fn *lstm_forward;
  lstm_backward_fn *lstm_backward;
  gru_saved_width_fn *gru_saved_width;
  gru_forward_fn *gru_forward;
  gru_backward_fn *gru_backward;
  rnn_forward_fn *rnn_forward;
  rnn_backward_fn *rnn_backward;
} kernel_set;
/* The recurrent kernels of the instruction set in use (the GEMM's: native_select_isa picks both). */
const kernel_set *native_kernels(void);

/* ---- packings kept by their owner (dispatch.c) ---- */
/* op(src)[K, N] packed as pack_b(K, N, src, ldb, transB) would pack it, for the instruction set in use */
typedef struct {
  const float *src;
  int K, N, ldb, transB;
  const float *packed;
} kept_packing;
/* Until the next call (0: none), pack_b on this thread returns the kept packing matching its arguments. */
void native_use_packed(const kept_packing *list, int count);
/* Packs like pack_b into a new aligned_alloc'd buffer the caller frees; 0 when out of memory. */
float *pack_b_owned(int K, int N, const float *B, int ldb, int transB);

/* the other kernel entry points (kernels/arena.c, dispatch.c) */
usize arena_keep(void);
void arena_drop(void);
void transpose01(const float *src, float *dst, int A, int B, int F);
void sgemm(int M, int N, int K, const float *A, const float *B, float *C);
usize rows_packed_bytes(int K, int N);

#endif
