/*
 * Multiplicative (Luong) attention and the attentional layer over a whole target sequence, as one op: what a
 * teacher-forced decoder without input feeding computes after its recurrence, in place of ~20 tfjs ops (transposes,
 * batched products of a few rows each, masked softmax, concat, the combine layer, tanh) and their gradients.
 *
 *   e_tbs = q_tb · p_bs                  q [T, B, D]: the decoder's top layer, time-major; p [B, S, D]: W_a k or k
 *   α_tb  = softmax over s < n_b of e_tb  n_b: row b's source length; later positions weigh exactly 0
 *   c_tb  = Σ_s α_tbs k_bs               k [B, S, E]: the encoder outputs
 *   h̃_tb = tanh(W_c [c_tb; q_tb])        W_c [H, E + D], no bias (Luong's W_c)
 *
 * The forward writes h̃ [T·B, H] (row t·B + b) and keeps α [T·B, S] and the rows u = [c; q] [T·B, E + D] for the
 * backward. Everything runs on the calling thread in a fixed order, so results are deterministic.
 */
#include "native.h"

#include <math.h>
#include <stdint.h>

static float dot(const float *a, const float *b, int n) {
  float s = 0.0f;
  for (int i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

/* dst[i] += a · src[i] */
static void axpy(float *dst, float a, const float *src, int n) {
  for (int i = 0; i < n; i++) dst[i] += a * src[i];
}

/* the gates' vector tanh (common.h), not libm's scalar one, which would take most of the op's time */
static void tanh_in_place(float *x, usize n) {
  for (usize i = 0; i < n; i += VL) {
    const int m = n - i < VL ? (int)(n - i) : VL;
    store_n(x + i, v_tanh(load_n(x + i, m)), m);
  }
}

void attention_combine_forward(int T, int B, int S, int D, int E, int H, const float *q, const float *p,
                               const float *k, const int *lengths, const float *wc, float *alpha, float *u,
                               float *out) {
  const int U = E + D;
  for (int r = 0; r < T * B; r++) {
    const int b = r % B, n = lengths ? lengths[b] : S;
    const float *qr = q + (usize)r * D;
    float *a = alpha + (usize)r * S, *ur = u + (usize)r * U;
    float max = -INFINITY;
    for (int s = 0; s < n; s++) {
      a[s] = dot(qr, p + ((usize)b * S + s) * D, D);
      if (a[s] > max) max = a[s];
    }
    const v128_t vmax = wasm_f32x4_splat(max);
    for (int s = 0; s < n; s += VL) {
      const int m = n - s < VL ? n - s : VL;
      store_n(a + s, v_exp(wasm_f32x4_sub(load_n(a + s, m), vmax)), m);
    }
    float sum = 0.0f;
    for (int s = 0; s < n; s++) sum += a[s];
    const float inv = 1.0f / sum;
    for (int s = 0; s < n; s++) a[s] *= inv;
    for (int s = n; s < S; s++) a[s] = 0.0f;
    fill_zero(ur, E);
    for (int s = 0; s < n; s++) axpy(ur, a[s], k + ((usize)b * S + s) * E, E);
    copy_floats(ur + E, qr, D);
  }
  gemm(T * B, H, U, u, U, 0, wc, U, 1, out, H, 0);
  tanh_in_place(out, (usize)T * B * H);
}

/*
 * Backward for the upstream gradient dout [T·B, H] (overwritten with ∂/∂z, z = W_c u), given the forward's α, u and
 * h̃: dq [T, B, D], dp [B, S, D], dk [B, S, E], dwc [H, E + D]. du [T·B, E + D] is scratch.
 *   dz = dh̃ ⊙ (1 − h̃²),  dW_c = dzᵀ u,  [dc; dq] = dz W_c
 *   dα_s = dc · k_s,  de_s = α_s (dα_s − Σ_s' α_s' dα_s'),  dq += Σ_s de_s p_s,  dp_s += de_s q,  dk_s += α_s dc
 */
void attention_combine_backward(int T, int B, int S, int D, int E, int H, const float *q, const float *p,
                                const float *k, const int *lengths, const float *wc, const float *alpha,
                                const float *u, const float *out, float *dout, float *du, float *dq, float *dp,
                                float *dk, float *dwc) {
  const int U = E + D;
  const usize rows = (usize)T * B;
  for (usize i = 0; i < rows * H; i++) dout[i] *= 1.0f - out[i] * out[i];
  gemm(H, U, (int)rows, dout, H, 1, u, U, 0, dwc, U, 0);
  gemm((int)rows, U, H, dout, H, 0, wc, U, 0, du, U, 0);
  fill_zero(dp, B * S * D);
  fill_zero(dk, B * S * E);
  usize mark = arena_mark();
  float *da = (float *)arena_alloc((usize)S * sizeof(float));
  for (usize r = 0; r < rows; r++) {
    const int b = (int)(r % (usize)B), n = lengths ? lengths[b] : S;
    const float *a = alpha + r * S, *dc = du + r * U, *qr = q + r * D;
    float *dqr = dq + r * D;
    copy_floats(dqr, dc + E, D);
    float weighted = 0.0f;
    for (int s = 0; s < n; s++) {
      da[s] = dot(dc, k + ((usize)b * S + s) * E, E);
      weighted += a[s] * da[s];
    }
    for (int s = 0; s < n; s++) {
      const usize bs = (usize)b * S + s;
      const float de = a[s] * (da[s] - weighted);
      axpy(dqr, de, p + bs * D, D);
      axpy(dp + bs * D, de, qr, D);
      axpy(dk + bs * E, a[s], dc, E);
    }
  }
  arena_release(mark);
}

/* ---- Node-API glue (registered by addon.c's init): pointers are byte offsets into the shared memory, 0 = absent ---- */
#define NAPI_VERSION 8
#include <node_api.h>

void export_function(napi_env env, napi_value exports, const char *name, napi_callback fn);

unsigned char *native_memory(usize *bytes);

/* addon.c's reader of integer arguments (dimensions, and pointers as byte offsets into the shared memory) */
int read_args(napi_env env, napi_callback_info info, size_t n, int64_t *a);

#define AT(v) ((void *)((v) != 0 ? native_memory(0) + (usize)(v) : 0))

/* attention_combine_forward(T, B, S, D, E, H, q, p, k, lengths, wc, alpha, u, out) */
static napi_value js_forward(napi_env env, napi_callback_info info) {
  int64_t a[14];
  if (!read_args(env, info, 14, a)) return 0;
  attention_combine_forward((int)a[0], (int)a[1], (int)a[2], (int)a[3], (int)a[4], (int)a[5], AT(a[6]), AT(a[7]), AT(a[8]),
                            AT(a[9]), AT(a[10]), AT(a[11]), AT(a[12]), AT(a[13]));
  return 0;
}

/* attention_combine_backward(T, B, S, D, E, H, q, p, k, lengths, wc, alpha, u, out, dout, du, dq, dp, dk, dwc) */
static napi_value js_backward(napi_env env, napi_callback_info info) {
  int64_t a[20];
  if (!read_args(env, info, 20, a)) return 0;
  attention_combine_backward((int)a[0], (int)a[1], (int)a[2], (int)a[3], (int)a[4], (int)a[5], AT(a[6]), AT(a[7]), AT(a[8]),
                             AT(a[9]), AT(a[10]), AT(a[11]), AT(a[12]), AT(a[13]), AT(a[14]), AT(a[15]), AT(a[16]), AT(a[17]),
                             AT(a[18]), AT(a[19]));
  return 0;
}

void attention_export(napi_env env, napi_value exports) {
  export_function(env, exports, "attention_combine_forward", js_forward);
  export_function(env, exports, "attention_combine_backward", js_backward);
}
