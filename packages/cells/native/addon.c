/*
 * Node-API entry: exposes the kernels with the same names and arguments as the wasm module's exports (pointers are
 * byte offsets into `memory`, 0 meaning absent), plus the thread-count and instruction-set controls.
 */
#include "batch-split.h"
#include "stream.h"

#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <string.h>

unsigned char *native_memory(usize *bytes);
void native_tune_malloc(void);
void native_warm_heap(usize resultBytes);

/* fused head + loss (linear-ce.c) registers its own entry points */
void linear_ce_export(napi_env env, napi_value exports);
/* the attention op (attention.c) likewise */
void attention_export(napi_env env, napi_value exports);

#define MAX_ARGS 32
static unsigned char *mem = 0;

/* Reads `n` integer arguments; throws a TypeError when one is missing or not a number (attention.c uses it too). */
int read_args(napi_env env, napi_callback_info info, size_t n, int64_t *a) {
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

/* Puts `fn` on the addon's exports as `name` (linear-ce.c and attention.c register theirs with it). */
void export_function(napi_env env, napi_value exports, const char *name, napi_callback fn) {
  napi_value f;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, 0, &f);
  napi_set_named_property(env, exports, name, f);
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
/* ---- the whole-sequence kernels: split across the batch (batch-split.c) ---- */
#define F_(i) ((float *)(usize)a[i])
#define I_(i) ((int)a[i])
static void lstm_dims(const int64_t *a, split_dims *d) {
  *d = (split_dims){.T = I_(0), .B = I_(1), .I = I_(2), .H = I_(3), .P = I_(4)};
  d->R = d->P > 0 ? d->P : d->H;
  d->G = 4 * d->H;
}
static void gru_dims(const int64_t *a, split_dims *d) {
  *d = (split_dims){.T = I_(0), .B = I_(1), .I = I_(2), .H = I_(3), .R = I_(3), .G = 3 * I_(3)};
  d->S = native_kernels()->gru_saved_width(d->H, I_(5));
}
static void rnn_dims(const int64_t *a, split_dims *d) {
  *d = (split_dims){.T = I_(0), .B = I_(1), .I = I_(2), .H = I_(3), .R = I_(3), .G = I_(3)};
}
static void call_lstm_forward(const int64_t *a) {
  native_kernels()->lstm_forward(I_(0), I_(1), I_(2), I_(3), I_(4), I_(5), F_(6), F_(7), F_(8), F_(9), F_(10), F_(11), F_(12), F_(13),
               F_(14), (const int *)F_(15), F_(16), F_(17), F_(18), F_(19), F_(20), F_(21), F_(22), F_(23));
}
static void call_lstm_backward(const int64_t *a) {
  native_kernels()->lstm_backward(I_(0), I_(1), I_(2), I_(3), I_(4), I_(5), F_(6), F_(7), F_(8), F_(9), F_(10), (const int *)F_(11),
                F_(12), F_(13), F_(14), F_(15), F_(16), F_(17), F_(18), F_(19), F_(20), F_(21), F_(22), F_(23), F_(24),
                F_(25), F_(26), F_(27), F_(28));
}
static void call_gru_forward(const int64_t *a) {
  native_kernels()->gru_forward(I_(0), I_(1), I_(2), I_(3), I_(4), I_(5), F_(6), F_(7), F_(8), F_(9), F_(10), F_(11), F_(12),
              (const int *)F_(13), F_(14), F_(15), F_(16), F_(17), F_(18));
}
static void call_gru_backward(const int64_t *a) {
  native_kernels()->gru_backward(I_(0), I_(1), I_(2), I_(3), I_(4), I_(5), F_(6), F_(7), F_(8), (const int *)F_(9), F_(10), F_(11),
               F_(12), F_(13), F_(14), F_(15), F_(16), F_(17), F_(18), F_(19), F_(20), F_(21));
}
static void call_rnn_forward(const int64_t *a) {
  native_kernels()->rnn_forward(I_(0), I_(1), I_(2), I_(3), I_(4), I_(5), F_(6), F_(7), F_(8), F_(9), F_(10), F_(11), F_(12),
              (const int *)F_(13), F_(14), F_(15), F_(16), F_(17));
}
static void call_rnn_backward(const int64_t *a) {
  native_kernels()->rnn_backward(I_(0), I_(1), I_(2), I_(3), I_(4), I_(5), F_(6), F_(7), F_(8), (const int *)F_(9), F_(10), F_(11),
               F_(12), F_(13), F_(14), F_(15), F_(16), F_(17), F_(18), F_(19));
}
/* T B I H P rev | x wih whh whhRows wihRows bih bhh peep whr | lengths rd h0 c0 | out hn cn gates cs */
static const split_kernel LSTM_FORWARD = {"i.b.i.i.i.i.sIw.w.w.w.w.w.w.w.r1rRrRrHSRRRRHSGSH", 24, lstm_dims,
                                          call_lstm_forward};
/* T B I H P rev | x wih whh peep whr | lengths rd h0 c0 | out gates cs dout dhn dcn | dx dwih dwhh db dpeep dwhr |
 * dh0 dc0 */
static const split_kernel LSTM_BACKWARD = {"i.b.i.i.i.i.sIw.w.w.w.r1rRrRrHsRsGsHsRrRrHSIggghgGgpgqRRRH", 29, lstm_dims,
                                           call_lstm_backward};
/* T B I H rev resetAfter | x wih whh whhRows wihRows bih bhh | lengths rd h0 | out hn saved */
static const split_kernel GRU_FORWARD = {"i.b.i.i.i.i.sIw.w.w.w.w.w.r1rHrHSHRHSS", 19, gru_dims, call_gru_forward};
/* T B I H rev resetAfter | x wih whh | lengths rd h0 | out saved dout dhn | dx dwih dwhh dbih dbhh | dh0 */
static const split_kernel GRU_BACKWARD = {"i.b.i.i.i.i.sIw.w.r1rHrHsHsSsHrHSIggghgGgGRH", 22, gru_dims,
                                          call_gru_backward};
/* T B I H rev relu | x wih whh whhRows wihRows bih bhh | lengths rd h0 | out hn */
static const split_kernel RNN_FORWARD = {"i.b.i.i.i.i.sIw.w.w.w.w.w.r1rHrHSHRH", 18, rnn_dims, call_rnn_forward};
/* T B I H rev relu | x wih whh | lengths rd h0 | out dout dhn | dx dwih dwhh db | dh0 */
static const split_kernel RNN_BACKWARD = {"i.b.i.i.i.i.sIw.w.r1rHrHsHsHrHSIggghgGRH", 20, rnn_dims, call_rnn_backward};

/* Reads a kernel's arguments, turns byte offsets into addresses (0 stays absent) and runs it split by batch. */
static napi_value run_split(napi_env env, napi_callback_info info, const split_kernel *k) {
  int64_t a[MAX_ARGS];
  if (!read_args(env, info, (size_t)k->nargs, a)) return 0;
  for (int i = 0; i < k->nargs; i++) {
    const char kind = k->spec[2 * i];
    if (kind != 'i' && kind != 'b' && a[i] != 0) a[i] = (int64_t)(usize)(mem + a[i]);
  }
  /* the output sequence is what a caller reads back: room in the heap for it (memory.c) */
  split_dims d;
  k->dims(a, &d);
  native_warm_heap((usize)d.T * d.B * (d.R > 0 ? d.R : d.H) * sizeof(float));
  split_run(k, a);
  return undefined(env);
}
FN(lstm_forward) { return run_split(env, info, &LSTM_FORWARD); }
FN(lstm_backward) { return run_split(env, info, &LSTM_BACKWARD); }
FN(gru_saved_width) {
  ARGS(2);
  return number(env, native_kernels()->gru_saved_width(I(0), I(1)));
}
FN(gru_forward) { return run_split(env, info, &GRU_FORWARD); }
FN(gru_backward) { return run_split(env, info, &GRU_BACKWARD); }
FN(rnn_forward) { return run_split(env, info, &RNN_FORWARD); }
FN(rnn_backward) { return run_split(env, info, &RNN_BACKWARD); }
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

/* ---- streaming (stream.c): a handle holding packed weights and state; typed arrays read and written in place ---- */
/* The float32 data of argv[i] when it is a Float32Array of at least `need` floats; null/undefined give 0 when
 * `optional`. Throws (returns 0 with *ok = 0) otherwise. */
static float *f32_arg(napi_env env, napi_value v, usize need, int optional, int *ok) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (optional && (t == napi_null || t == napi_undefined)) return 0;
  bool is = false;
  napi_is_typedarray(env, v, &is);
  napi_typedarray_type type;
  size_t length = 0;
  void *data = 0;
  if (is) napi_get_typedarray_info(env, v, &type, &length, &data, 0, 0);
  if (!is || type != napi_float32_array || length < need) {
    napi_throw_type_error(env, "GATED_NATIVE_ARGS", "a stream argument must be a Float32Array of the right length");
    *ok = 0;
    return 0;
  }
  return (float *)data;
}
static stream_state *stream_arg(napi_env env, napi_value v) {
  void *p = 0;
  if (napi_get_value_external(env, v, &p) != napi_ok || !p) {
    napi_throw_type_error(env, "GATED_NATIVE_ARGS", "not a native stream handle");
    return 0;
  }
  return (stream_state *)p;
}
static void stream_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  stream_free((stream_state *)data);
}
/* stream_new(kind 0 lstm / 1 gru / 2 rnn, batch, hidden, proj, flag) → handle */
FN(stream_new) {
  ARGS(5);
  stream_state *s = stream_new(I(0), I(1), I(2), I(3), I(4));
  if (!s) {
    napi_throw_error(env, "GATED_NATIVE_MEMORY", "out of memory making a stream");
    return 0;
  }
  napi_value r;
  napi_create_external(env, s, stream_finalize, 0, &r);
  return r;
}
/* stream_layer(handle, inputSize, wih, whh, bih?, bhh?, peep?, whr?) */
FN(stream_layer) {
  napi_value argv[8];
  size_t argc = 8;
  napi_get_cb_info(env, info, &argc, argv, 0, 0);
  if (argc < 8) {
    napi_throw_type_error(env, "GATED_NATIVE_ARGS", "stream_layer takes 8 arguments");
    return 0;
  }
  stream_state *s = stream_arg(env, argv[0]);
  int32_t I = 0;
  if (!s || napi_get_value_int32(env, argv[1], &I) != napi_ok || I < 1) {
    if (s) napi_throw_type_error(env, "GATED_NATIVE_ARGS", "stream_layer: inputSize must be a positive integer");
    return 0;
  }
  int ok = 1;
  const usize G = (usize)s->G;
  float *wih = f32_arg(env, argv[2], G * I, 0, &ok);
  float *whh = ok ? f32_arg(env, argv[3], G * s->R, 0, &ok) : 0;
  float *bih = ok ? f32_arg(env, argv[4], G, 1, &ok) : 0;
  float *bhh = ok ? f32_arg(env, argv[5], G, 1, &ok) : 0;
  float *peep = ok ? f32_arg(env, argv[6], (usize)3 * s->H, 1, &ok) : 0;
  float *whr = ok ? f32_arg(env, argv[7], (usize)s->P * s->H, 1, &ok) : 0;
  if (!ok) return 0;
  if (!stream_add_layer(s, I, wih, whh, bih, bhh, peep, whr)) {
    napi_throw_error(env, "GATED_NATIVE_MEMORY", "out of memory (or layers) adding a stream layer");
    return 0;
  }
  return undefined(env);
}
/* stream_push(handle, steps, x [B, steps, I], out [B, steps, R]) */
FN(stream_push) {
  napi_value argv[4];
  size_t argc = 4;
  napi_get_cb_info(env, info, &argc, argv, 0, 0);
  stream_state *s = argc == 4 ? stream_arg(env, argv[0]) : 0;
  int32_t T = 0;
  if (!s || s->L == 0 || napi_get_value_int32(env, argv[1], &T) != napi_ok || T < 1) {
    if (!s && argc != 4) napi_throw_type_error(env, "GATED_NATIVE_ARGS", "stream_push takes 4 arguments");
    else if (s) napi_throw_type_error(env, "GATED_NATIVE_ARGS", "stream_push: steps must be a positive integer");
    return 0;
  }
  int ok = 1;
  const usize rows = (usize)s->B * T;
  const float *x = f32_arg(env, argv[2], rows * s->layers[0].I, 0, &ok);
  float *out = ok ? f32_arg(env, argv[3], rows * s->R, 0, &ok) : 0;
  if (!ok) return 0;
  if (!stream_push(s, T, x, out)) {
    napi_throw_error(env, "GATED_NATIVE_MEMORY", "out of memory running a stream");
    return 0;
  }
  return undefined(env);
}
/* stream_state(handle, h [L, B, R], c [L, B, H] | null, write): copies the carried state out (write 0) or in (1) */
FN(stream_state) {
  napi_value argv[4];
  size_t argc = 4;
  napi_get_cb_info(env, info, &argc, argv, 0, 0);
  stream_state *s = argc == 4 ? stream_arg(env, argv[0]) : 0;
  if (!s) {
    if (argc != 4) napi_throw_type_error(env, "GATED_NATIVE_ARGS", "stream_state takes 4 arguments");
    return 0;
  }
  int ok = 1;
  bool write = false;
  const usize hn = (usize)s->B * s->R, cn = (usize)s->B * s->H;
  float *h = f32_arg(env, argv[1], hn * s->L, 0, &ok);
  float *c = ok && s->kind == STREAM_LSTM ? f32_arg(env, argv[2], cn * s->L, 0, &ok) : 0;
  if (!ok || napi_get_value_bool(env, argv[3], &write) != napi_ok) {
    if (ok) napi_throw_type_error(env, "GATED_NATIVE_ARGS", "stream_state: write must be a boolean");
    return 0;
  }
  for (int k = 0; k < s->L; k++) {
    stream_layer *l = &s->layers[k];
    if (write) memcpy(l->h, h + k * hn, hn * sizeof(float));
    else memcpy(h + k * hn, l->h, hn * sizeof(float));
    if (!c) continue;
    if (write) memcpy(l->c, c + k * cn, cn * sizeof(float));
    else memcpy(c + k * cn, l->c, cn * sizeof(float));
  }
  return undefined(env);
}

static void no_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)data;
  (void)hint;
}

static napi_value init(napi_env env, napi_value exports) {
  usize bytes = 0;
  native_tune_malloc();
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
#define EXPORT_FN(name) export_function(env, exports, #name, js_##name)
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
  EXPORT_FN(stream_new);
  EXPORT_FN(stream_layer);
  EXPORT_FN(stream_push);
  EXPORT_FN(stream_state);
  linear_ce_export(env, exports);
  attention_export(env, exports);
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
