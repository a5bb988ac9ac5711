/*
 * A Linear layer followed by softmax cross-entropy against class ids, as one operation (the head and loss of a
 * language model or classifier): forward and backward are three GEMMs and one pass over the logits, instead of
 * ~15 separate tfjs ops that each read and write the [N, C] logits.
 *
 *   z = x·Wᵀ + b                         x [N, K], W [C, K], b [C]
 *   loss_n = logsumexp(z_n) − z_n[y_n]   summed with row weights r_n (1 by default; 0 = padding)
 *   ∂Σ r_n·loss_n / ∂z_n = r_n·(softmax(z_n) − onehot(y_n))
 *
 * The forward leaves that gradient (unscaled by the upstream gradient) in `dz` [N, C], so the backward is
 * dz·W, dzᵀ·x and the column sums of dz, all scaled by the upstream gradient g.
 */
#include "native.h"

#include <math.h>

typedef struct {
  int N, C;
  const int *y;
  const float *rowWeight;
  float *dz;     /* in: logits without bias; out: r·(softmax − onehot) */
  const float *b;
  double *rows;  /* per row: loss·r, correct·r */
} ce_job;

/* Rows [n0, n1) of one worker: bias, stable log-sum-exp, the loss, argmax and the gradient of the logits. */
static void ce_rows(void *ctx, int w, int workers) {
  ce_job *j = (ce_job *)ctx;
  const int per = (j->N + workers - 1) / workers;
  const int n0 = w * per, n1 = n0 + per < j->N ? n0 + per : j->N;
  const int C = j->C;
  for (int n = n0; n < n1; n++) {
    float *z = j->dz + (usize)n * C;
    const float r = j->rowWeight ? j->rowWeight[n] : 1.0f;
    if (r == 0.0f) {
      /* padding: no loss, no gradient (and its id is never read) */
      for (int c = 0; c < C; c++) z[c] = 0.0f;
      j->rows[2 * n] = 0.0;
      j->rows[2 * n + 1] = 0.0;
      continue;
    }
    int best = 0;
    float max = -INFINITY;
    for (int c = 0; c < C; c++) {
      if (j->b) z[c] += j->b[c];
      if (z[c] > max) {
        max = z[c];
        best = c;
      }
    }
    const int y = j->y[n];
    const float zy = z[y] - max;
    float sum = 0.0f;
    for (int c = 0; c < C; c++) {
      z[c] = expf(z[c] - max);
      sum += z[c];
    }
    /* loss = log Σ exp(z − max) − (z_y − max), finite even when softmax(z)_y underflows */
    const float loss = logf(sum) - zy;
    const float inv = 1.0f / sum;
    for (int c = 0; c < C; c++) z[c] = r * (z[c] * inv);
    z[y] -= r;
    j->rows[2 * n] = (double)r * (double)loss;
    j->rows[2 * n + 1] = best == y ? (double)r : 0.0;
  }
}

/*
 * Forward. `dz` [N, C] receives the logits' gradient of the weighted loss sum; `stats` [3] receives the loss sum,
 * the weight sum (count) and the weighted count of rows whose argmax is the target. Ids must be in [0, C) wherever
 * the row weight is not 0 (the caller checks them).
 */
void linear_ce_forward(int N, int K, int C, const float *x, const float *W, const float *b, const int *y,
                       const float *rowWeight, float *dz, float *stats) {
  gemm(N, C, K, x, K, 0, W, K, 1, dz, C, 0);
  usize mark = arena_mark();
  double *rows = (double *)arena_alloc((usize)N * 2 * sizeof(double));
  ce_job j = {N, C, y, rowWeight, dz, b, rows};
  pool_run(N >= 64 ? pool_threads() : 1, ce_rows, &j);
  double lossSum = 0.0, count = 0.0, correct = 0.0;
  for (int n = 0; n < N; n++) {
    lossSum += rows[2 * n];
    correct += rows[2 * n + 1];
    count += rowWeight ? (double)rowWeight[n] : 1.0;
  }
  arena_release(mark);
  stats[0] = (float)lossSum;
  stats[1] = (float)count;
  stats[2] = (float)correct;
}

/*
 * Backward for an upstream gradient `g` of the loss sum: dz ← g·dz (in place), dx = dz·W [N, K], dW = dzᵀ·x [C, K],
 * db = Σ_n dz [C]. Any of dx, dW, db may be absent (0).
 */
void linear_ce_backward(int N, int K, int C, const float *x, const float *W, float *dz, float g, float *dx, float *dW,
                        float *db) {
  const usize total = (usize)N * C;
  if (g != 1.0f)
    for (usize i = 0; i < total; i++) dz[i] *= g;
  if (dx) gemm(N, K, C, dz, C, 0, W, K, 0, dx, K, 0);
  if (dW) gemm(C, K, N, dz, C, 1, x, K, 0, dW, K, 0);
  if (db) column_sums(N, C, dz, C, db);
}

/* ---- Node-API glue (registered by addon.c's init): pointers are byte offsets into the shared memory, 0 = absent;
 * the upstream gradient is a double, so these read their own arguments rather than addon.c's integer ones. ---- */
#define NAPI_VERSION 8
#include <node_api.h>

void export_function(napi_env env, napi_value exports, const char *name, napi_callback fn);

unsigned char *native_memory(usize *bytes);

static int read_numbers(napi_env env, napi_callback_info info, size_t n, double *a) {
  napi_value argv[16];
  size_t argc = 16;
  napi_get_cb_info(env, info, &argc, argv, 0, 0);
  if (argc < n) {
    napi_throw_type_error(env, "GATED_NATIVE_ARGS", "too few arguments for a native kernel");
    return 0;
  }
  for (size_t i = 0; i < n; i++) {
    if (napi_get_value_double(env, argv[i], &a[i]) != napi_ok) {
      napi_throw_type_error(env, "GATED_NATIVE_ARGS", "native kernel arguments must be numbers");
      return 0;
    }
  }
  return 1;
}

#define ADDR(v) ((void *)((v) != 0 ? native_memory(0) + (usize)(v) : 0))

static napi_value js_linear_ce_forward(napi_env env, napi_callback_info info) {
  double a[10];
  if (!read_numbers(env, info, 10, a)) return 0;
  linear_ce_forward((int)a[0], (int)a[1], (int)a[2], ADDR(a[3]), ADDR(a[4]), ADDR(a[5]), ADDR(a[6]), ADDR(a[7]), ADDR(a[8]),
                    ADDR(a[9]));
  return 0;
}

static napi_value js_linear_ce_backward(napi_env env, napi_callback_info info) {
  double a[10];
  if (!read_numbers(env, info, 10, a)) return 0;
  linear_ce_backward((int)a[0], (int)a[1], (int)a[2], ADDR(a[3]), ADDR(a[4]), ADDR(a[5]), (float)a[6], ADDR(a[7]),
                     ADDR(a[8]), ADDR(a[9]));
  return 0;
}

void adam_step(int n, float *p, const float *g, float *m, float *v, float gradScale, float decay, float l2, float beta1,
               float oneMinusBeta1, float beta2, float oneMinusBeta2, float negStepSize, float bc2Sqrt, float eps);

/* adam_step(n, p, g, m, v, gradScale, decay, l2, beta1, 1−beta1, beta2, 1−beta2, −stepSize, √(1−β₂ᵗ), eps) */
static napi_value js_adam_step(napi_env env, napi_callback_info info) {
  double a[15];
  if (!read_numbers(env, info, 15, a)) return 0;
  adam_step((int)a[0], ADDR(a[1]), ADDR(a[2]), ADDR(a[3]), ADDR(a[4]), (float)a[5], (float)a[6], (float)a[7], (float)a[8],
            (float)a[9], (float)a[10], (float)a[11], (float)a[12], (float)a[13], (float)a[14]);
  return 0;
}

void adam_step_to(int n, const float *p, const float *g, float *m, float *v, float *out, float gradScale, float decay,
                  float l2, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float negStepSize,
                  float bc2Sqrt, float eps);

/* The Float32Array argument i of at least n floats (NULL after throwing a TypeError). */
static float *f32_array(napi_env env, napi_value v, usize n) {
  bool is = false;
  napi_typedarray_type type;
  size_t length = 0;
  void *data = 0;
  if (napi_is_typedarray(env, v, &is) == napi_ok && is) napi_get_typedarray_info(env, v, &type, &length, &data, 0, 0);
  if (!is || type != napi_float32_array || length < n) {
    napi_throw_type_error(env, "GATED_NATIVE_ARGS", "adam_step_arrays: p, g, m, v and out must be Float32Arrays of n floats");
    return 0;
  }
  return (float *)data;
}

/* adam_step_arrays(p, g, m, v, out, gradScale, decay, l2, beta1, 1−beta1, beta2, 1−beta2, −stepSize, √(1−β₂ᵗ), eps):
 * the step on JavaScript's own Float32Arrays (views of the wasm backend's heap: nothing copied), n = p.length */
static napi_value js_adam_step_arrays(napi_env env, napi_callback_info info) {
  napi_value argv[15];
  size_t argc = 15;
  napi_get_cb_info(env, info, &argc, argv, 0, 0);
  if (argc != 15) {
    napi_throw_type_error(env, "GATED_NATIVE_ARGS", "adam_step_arrays takes 15 arguments");
    return 0;
  }
  size_t n = 0;
  bool is = false;
  if (napi_is_typedarray(env, argv[0], &is) == napi_ok && is) napi_get_typedarray_info(env, argv[0], 0, &n, 0, 0, 0);
  float *a[5];
  for (int i = 0; i < 5; i++)
    if (!(a[i] = f32_array(env, argv[i], n))) return 0;
  double s[10];
  for (int i = 0; i < 10; i++)
    if (napi_get_value_double(env, argv[5 + i], &s[i]) != napi_ok) {
      napi_throw_type_error(env, "GATED_NATIVE_ARGS", "adam_step_arrays: the scalars must be numbers");
      return 0;
    }
  adam_step_to((int)n, a[0], a[1], a[2], a[3], a[4], (float)s[0], (float)s[1], (float)s[2], (float)s[3], (float)s[4],
               (float)s[5], (float)s[6], (float)s[7], (float)s[8], (float)s[9]);
  return 0;
}

/* Registers the training-step kernels (this file's head + loss, adam.c's optimizer step) on the addon's exports. */
void linear_ce_export(napi_env env, napi_value exports) {
  export_function(env, exports, "adam_step", js_adam_step);
  export_function(env, exports, "adam_step_arrays", js_adam_step_arrays);
  export_function(env, exports, "linear_ce_forward", js_linear_ce_forward);
  export_function(env, exports, "linear_ce_backward", js_linear_ce_backward);
}
