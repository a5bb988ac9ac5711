/*
 * Node-API entry: exposes the kernels with the same names and arguments as the wasm module's exports (pointers are
 * byte offsets into `memory`, 0 meaning absent), plus the thread-count and instruction-set controls.
 */
#include "native.h"

#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <string.h>

unsigned char *native_memory(usize *bytes);

/* the kernel entry points (the kernel sources and dispatch.c) */
void arena_reset(void);
usize arena_keep(void);
void arena_drop(void);
void transpose01(const float *src, float *dst, int A, int B, int F);
void sgemm(int M, int N, int K, const float *A, const float *B, float *C);
usize rows_packed_bytes(int K, int N);
void lstm_forward(int T, int B, int I, int H, int P, int reverse, const float *x, const float *wih, const float *whh,
                  const float *whhRows, const float *bih, const float *bhh, const float *peep, const float *whr,
                  const int *lengths, const float *rd, const float *h0, const float *c0, float *out, float *hn,
                  float *cn, float *gates, float *cs);
void lstm_backward(int T, int B, int I, int H, int P, int reverse, const float *x, const float *wih, const float *whh,
                   const float *peep, const float *whr, const int *lengths, const float *rd, const float *h0,
                   const float *c0, const float *out, const float *gates, const float *cs, const float *dout,
                   const float *dhn, const float *dcn, float *dx, float *dwih, float *dwhh, float *db, float *dpeep,
                   float *dwhr, float *dh0, float *dc0);
int gru_saved_width(int H, int resetAfter);
void gru_forward(int T, int B, int I, int H, int reverse, int resetAfter, const float *x, const float *wih,
                 const float *whh, const float *bih, const float *bhh, const int *lengths, const float *rd,
                 const float *h0, float *out, float *hn, float *saved);
void gru_backward(int T, int B, int I, int H, int reverse, int resetAfter, const float *x, const float *wih,
                  const float *whh, const int *lengths, const float *rd, const float *h0, const float *out,
                  const float *saved, const float *dout, const float *dhn, float *dx, float *dwih, float *dwhh,
                  float *dbih, float *dbhh, float *dh0);
void rnn_forward(int T, int B, int I, int H, int reverse, int relu, const float *x, const float *wih, const float *whh,
                 const float *bih, const float *bhh, const int *lengths, const float *rd, const float *h0, float *out,
                 float *hn);
void rnn_backward(int T, int B, int I, int H, int reverse, int relu, const float *x, const float *wih, const float *whh,
                  const int *lengths, const float *rd, const float *h0, const float *out, const float *dout,
                  const float *dhn, float *dx, float *dwih, float *dwhh, float *db, float *dh0);

#define MAX_ARGS 32
static unsigned char *mem = 0;

/* Reads `n` numeric arguments; throws a TypeError naming the first that is not a number. */
static int read_args(napi_env env, napi_callback_info info, size_t n, int64_t *a) {
  napi_value argv[MAX_ARGS];
  size_t argc = MAX_ARGS;
  napi_get_cb_info(env, info, &argc, argv, 0, 0);
  if (argc < n) {
    napi_throw_type_error(env, "GATED_NATIVE_ARGS", "too few arguments for a native kernel");
    return 0;
  }
  for (size_t i = 0; i < n; i++) {
    if (napi_get_value_int64(env, argv[i], &a[i]) != napi_ok) {
      napi_throw_type_error(env, "GATED_NATIVE_ARGS", "native kernel arguments must be numbers");
      return 0;
    }
  }
  return 1;
}

static napi_value number(napi_env env, double v) {
  napi_value r;
  napi_create_double(env, v, &r);
  return r;
}
static napi_value undefined(napi_env env) {
  napi_value r;
  napi_get_undefined(env, &r);
  return r;
}

#define ARGS(n)                                                                                                        \
  int64_t a[MAX_ARGS];                                                                                                 \
  if (!read_args(env, info, (n), a)) return 0
#define I(i) ((int)a[i])
#define P(i) ((void *)(a[i] ? mem + a[i] : 0))
#define FN(name) static napi_value js_##name(napi_env env, napi_callback_info info)

FN(arena_reset) {
  (void)info;
  arena_reset();
  return undefined(env);
}
FN(arena_keep) {
  (void)info;
  return number(env, (double)(arena_keep() - (usize)mem));
}
FN(arena_drop) {
  (void)info;
  arena_drop();
  return undefined(env);
}
FN(arena_alloc) {
  ARGS(1);
  void *p = arena_alloc((usize)a[0]);
  return number(env, p ? (double)((unsigned char *)p - mem) : 0.0);
}
FN(rows_packed_bytes) {
  ARGS(2);
  return number(env, (double)rows_packed_bytes(I(0), I(1)));
}
FN(pack_rows) {
  ARGS(4);
  pack_rows(I(0), I(1), P(2), P(3));
  return undefined(env);
}
FN(sgemm) {
  ARGS(6);
  sgemm(I(0), I(1), I(2), P(3), P(4), P(5));
  return undefined(env);
}
FN(transpose01) {
  ARGS(5);
  transpose01(P(0), P(1), I(2), I(3), I(4));
  return undefined(env);
}
FN(lstm_forward) {
  ARGS(23);
  lstm_forward(I(0), I(1), I(2), I(3), I(4), I(5), P(6), P(7), P(8), P(9), P(10), P(11), P(12), P(13), P(14), P(15),
               P(16), P(17), P(18), P(19), P(20), P(21), P(22));
  return undefined(env);
}
FN(lstm_backward) {
  ARGS(29);
  lstm_backward(I(0), I(1), I(2), I(3), I(4), I(5), P(6), P(7), P(8), P(9), P(10), P(11), P(12), P(13), P(14), P(15),
                P(16), P(17), P(18), P(19), P(20), P(21), P(22), P(23), P(24), P(25), P(26), P(27), P(28));
  return undefined(env);
}
FN(gru_saved_width) {
  ARGS(2);
  return number(env, gru_saved_width(I(0), I(1)));
}
FN(gru_forward) {
  ARGS(17);
  gru_forward(I(0), I(1), I(2), I(3), I(4), I(5), P(6), P(7), P(8), P(9), P(10), P(11), P(12), P(13), P(14), P(15),
              P(16));
  return undefined(env);
}
FN(gru_backward) {
  ARGS(22);
  gru_backward(I(0), I(1), I(2), I(3), I(4), I(5), P(6), P(7), P(8), P(9), P(10), P(11), P(12), P(13), P(14), P(15),
               P(16), P(17), P(18), P(19), P(20), P(21));
  return undefined(env);
}
FN(rnn_forward) {
  ARGS(16);
  rnn_forward(I(0), I(1), I(2), I(3), I(4), I(5), P(6), P(7), P(8), P(9), P(10), P(11), P(12), P(13), P(14), P(15));
  return undefined(env);
}
FN(rnn_backward) {
  ARGS(20);
  rnn_backward(I(0), I(1), I(2), I(3), I(4), I(5), P(6), P(7), P(8), P(9), P(10), P(11), P(12), P(13), P(14), P(15),
               P(16), P(17), P(18), P(19));
  return undefined(env);
}
FN(set_threads) {
  ARGS(1);
  pool_set_threads(I(0));
  return number(env, pool_threads());
}
FN(threads) {
  (void)info;
  return number(env, pool_threads());
}
static napi_value string(napi_env env, const char *s) {
  napi_value r;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &r);
  return r;
}
FN(isa) {
  (void)info;
  return string(env, native_isa());
}
/* set_isa(name): "avx512" | "avx2" | "base"; returns the ISA in use, or null when this CPU lacks it */
FN(set_isa) {
  napi_value argv[1];
  size_t argc = 1;
  char name[16] = {0};
  size_t len = 0;
  napi_get_cb_info(env, info, &argc, argv, 0, 0);
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], name, sizeof name, &len) != napi_ok) {
    napi_throw_type_error(env, "GATED_NATIVE_ARGS", "set_isa takes a string");
    return 0;
  }
  const char *got = native_isa_supported(name) ? native_select_isa(name) : 0;
  if (!got) {
    napi_value nul;
    napi_get_null(env, &nul);
    return nul;
  }
  return string(env, got);
}

static void no_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)data;
  (void)hint;
}

static napi_value init(napi_env env, napi_value exports) {
  usize bytes = 0;
  mem = native_memory(&bytes);
  if (!mem) {
    napi_throw_error(env, "GATED_NATIVE_MEMORY", "could not reserve the kernels' address range");
    return 0;
  }
  napi_value buffer, memory;
  /* the range lives for the life of the process, so the buffer needs no finalizer */
  if (napi_create_external_arraybuffer(env, mem, (size_t)bytes, no_finalize, 0, &buffer) != napi_ok) {
    napi_throw_error(env, "GATED_NATIVE_MEMORY", "could not share the kernels' memory with JavaScript");
    return 0;
  }
  napi_create_object(env, &memory);
  napi_set_named_property(env, memory, "buffer", buffer);
  napi_set_named_property(env, exports, "memory", memory);
#define EXPORT_FN(name)                                                                                                \
  do {                                                                                                                 \
    napi_value f;                                                                                                      \
    napi_create_function(env, #name, NAPI_AUTO_LENGTH, js_##name, 0, &f);                                              \
    napi_set_named_property(env, exports, #name, f);                                                                   \
  } while (0)
  EXPORT_FN(arena_reset);
  EXPORT_FN(arena_keep);
  EXPORT_FN(arena_drop);
  EXPORT_FN(arena_alloc);
  EXPORT_FN(rows_packed_bytes);
  EXPORT_FN(pack_rows);
  EXPORT_FN(sgemm);
  EXPORT_FN(transpose01);
  EXPORT_FN(lstm_forward);
  EXPORT_FN(lstm_backward);
  EXPORT_FN(gru_saved_width);
  EXPORT_FN(gru_forward);
  EXPORT_FN(gru_backward);
  EXPORT_FN(rnn_forward);
  EXPORT_FN(rnn_backward);
  EXPORT_FN(set_threads);
  EXPORT_FN(threads);
  EXPORT_FN(isa);
  EXPORT_FN(set_isa);
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
