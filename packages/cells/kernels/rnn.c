/*
 * Elman RNN, one direction of one layer: h' = act(W_ih x + b_ih + W_hh h + b_hh), act = tanh or relu.
 * rd (recurrent dropout, optional) is a [B, H] mask on h₋₁ where it enters W_hh.
 * Nothing is kept beyond the layer output: act' is read from h' itself.
 */
#include "common.h"

static v128_t activate(v128_t v, int relu) { return relu ? wasm_f32x4_max(v, VSPLAT(0.0f)) : v_tanh(v); }

/* whhRows / wihRows: W_hh / W_ih packed by pack_rows, or 0 (see lstm_forward); whhRows is used when B = 1
 * (natively for any B). */
EXPORT(rnn_forward)
void rnn_forward(int T, int B, int I, int H, int reverse, int relu, const float *x, const float *wih,
                 const float *whh, const float *whhRows, const float *wihRows, const float *bih, const float *bhh, const int *lengths, const float *rd,
                 const float *h0, float *out, float *hn) {
  const usize TB = (usize)T * B;
  usize mark = arena_mark();
  /* batch 1: matrix-vector products on the row-blocked W_hh; h padded to a multiple of 4 for them */
  const int gemv = B == 1, hLen = B * H > ((H + 3) & ~3) ? B * H : ((H + 3) & ~3);
  if (gemv && !whhRows) {
    float *packed = (float *)arena_alloc(rows_packed_floats(H, H) * 4);
    pack_rows(H, H, whh, packed);
    whhRows = packed;
  }
  float *pre = (float *)arena_alloc(TB * H * 4), *h = (float *)arena_alloc((usize)hLen * 4);
  float *hin = rd ? (float *)arena_alloc((usize)hLen * 4) : h;
  fill_zero(h, hLen);
  if (rd) fill_zero(hin, hLen);
  input_projection((int)TB, H, I, x, proj_panels((int)TB, H, I, wih, wihRows), wihRows, pre);
  for (usize r = 0; r < TB; r++) {
    if (bih) add_floats(pre + r * H, bih, H);
    if (bhh) add_floats(pre + r * H, bhh, H);
  }
  const float *whhP = gemv ? 0 : whhRows && ROWS_ARE_PANELS ? whhRows : pack_b(H, H, whh, H, 1);
  if (h0) copy_floats(h, h0, B * H);
  for (int s = 0; s < T; s++) {
    const int t = reverse ? T - 1 - s : s;
    float *p = pre + (usize)t * B * H;
    if (rd) mul_floats(hin, h, rd, B * H);
    if (gemv) gemv_rows(H, H, hin, whhRows, p, 1);
    else gemm_packed(B, H, H, hin, H, 0, whhP, p, H, 1);
    for (int b = 0; b < B; b++) {
      float *ob = out + ((usize)t * B + b) * H;
      if (!step_valid(lengths, b, t)) {
        fill_zero(ob, H);
        continue;
      }
      for (int j = 0; j < H; j += VL) {
        const int n = H - j < VL ? H - j : VL;
        v128_t v = activate(load_n(p + (usize)b * H + j, n), relu);
        store_n(h + (usize)b * H + j, v, n);
        store_n(ob + j, v, n);
      }
    }
  }
  copy_floats(hn, h, B * H);
  arena_release(mark);
}

EXPORT(rnn_backward)
void rnn_backward(int T, int B, int I, int H, int reverse, int relu, const float *x, const float *wih,
                  const float *whh, const int *lengths, const float *rd, const float *h0, const float *out,
                  const float *dout,
                  const float *dhn, float *dx, float *dwih, float *dwhh, float *db, float *dh0) {
  const usize TB = (usize)T * B;
  usize mark = arena_mark();
  float *dG = (float *)arena_alloc(TB * H * 4), *hprev = (float *)arena_alloc(TB * H * 4);
  float *dh = (float *)arena_alloc((usize)B * H * 4), *tmp = (float *)arena_alloc((usize)B * H * 4);
  float *zero = (float *)arena_alloc((usize)H * 4);
  fill_zero(zero, H);
  const float *whhP = pack_b(H, H, whh, H, 0);
  if (dhn) copy_floats(dh, dhn, B * H); else fill_zero(dh, B * H);
  for (int s = 0; s < T; s++) {
    const int t = reverse ? s : T - 1 - s;
    const int tp = reverse ? t + 1 : t - 1;
    const int hasPrev = tp >= 0 && tp < T;
    for (int b = 0; b < B; b++) {
      const usize row = (usize)t * B + b;
      if (!step_valid(lengths, b, t)) {
        fill_zero(dG + row * H, H);
        fill_zero(hprev + row * H, H);
        continue;
      }
      if (dout) add_floats(dh + (usize)b * H, dout + row * H, H);
      const int prevValid = hasPrev && step_valid(lengths, b, tp);
      copy_floats(hprev + row * H, prevValid ? out + ((usize)tp * B + b) * H : (h0 ? h0 + (usize)b * H : zero), H);
      if (rd) mul_floats(hprev + row * H, hprev + row * H, rd + (usize)b * H, H);
      const float *hb = out + row * H, *dhb = dh + (usize)b * H;
      for (int j = 0; j < H; j += VL) {
        const int n = H - j < VL ? H - j : VL;
        v128_t hv = load_n(hb + j, n), d = load_n(dhb + j, n);
        /* tanh' = 1 − h², relu' = [h > 0] */
        v128_t g = relu ? wasm_v128_and(d, wasm_f32x4_gt(hv, VSPLAT(0.0f))) : VMUL(d, VSUB(VSPLAT(1.0f), VMUL(hv, hv)));
        store_n(dG + row * H + j, g, n);
      }
    }
    gemm_packed(B, H, H, dG + (usize)t * B * H, H, 0, whhP, tmp, H, 0);
    for (int b = 0; b < B; b++)
      if (step_valid(lengths, b, t)) {
        if (rd) mul_floats(dh + (usize)b * H, tmp + (usize)b * H, rd + (usize)b * H, H);
        else copy_floats(dh + (usize)b * H, tmp + (usize)b * H, H);
      }
  }
  if (dh0) copy_floats(dh0, dh, B * H);
  gemm(H, I, (int)TB, dG, H, 1, x, I, 0, dwih, I, 0);
  gemm((int)TB, I, H, dG, H, 0, wih, I, 0, dx, I, 0);
  gemm(H, H, (int)TB, dG, H, 1, hprev, H, 0, dwhh, H, 0);
  if (db) column_sums((int)TB, H, dG, H, db);
  arena_release(mark);
}
