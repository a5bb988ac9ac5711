/*
 * LSTM, one direction of one layer over a whole time-major sequence, PyTorch gate order i, f, g, o.
 *   i = σ(W_ii x + W_hi h + b_i [+ w_ci ⊙ c₋₁])   f = σ(… [+ w_cf ⊙ c₋₁])   g = tanh(…)
 *   c = f ⊙ c₋₁ + i ⊙ g                           o = σ(… [+ w_co ⊙ c])      h = o ⊙ tanh(c)   [h = W_hr h]
 * rd (recurrent dropout, optional) is a [B, out] mask on h₋₁ where it enters W_hh.
 * Rows whose step is past their length hold their state and output 0 (PyTorch packed-sequence semantics); the
 * reverse direction therefore starts at each row's last valid step.
 * The forward keeps, per step and row, the gate activations i, f, g, o (4H) and the cell state c (H); the
 * backward recomputes tanh(c) and reads h₋₁ from the layer output.
 */
#include "common.h"

static const float *row_or_zero(const float *base, int row, int width, const float *zero) {
  return base ? base + (usize)row * width : zero;
}

/* One vector (n ≤ VL lanes) of one row's cell update at column j: pre-activations gb (+ bias) → activations in gb,
 * c in cb and csb, h in hb (and ob). Inlined with n = VL for the body of the row and once for its tail. */
static inline __attribute__((always_inline)) void lstm_cell(int H, int j, int n, float *gb, const float *bias,
                                                            const float *peep, float *cb, float *csb, float *hb,
                                                            float *ob) {
  v128_t cp = load_n(cb + j, n);
  v128_t pi = load_n(gb + j, n), pf = load_n(gb + H + j, n), pg = load_n(gb + 2 * H + j, n),
         po = load_n(gb + 3 * H + j, n);
  if (bias) {
    pi = VADD(pi, load_n(bias + j, n));
    pf = VADD(pf, load_n(bias + H + j, n));
    pg = VADD(pg, load_n(bias + 2 * H + j, n));
    po = VADD(po, load_n(bias + 3 * H + j, n));
  }
  if (peep) {
    pi = VADD(pi, VMUL(load_n(peep + j, n), cp));
    pf = VADD(pf, VMUL(load_n(peep + H + j, n), cp));
  }
  v128_t vi = v_sigmoid(pi), vf = v_sigmoid(pf), vg = v_tanh(pg);
  /* c = f ⊙ c₋₁ + i ⊙ g */
  v128_t vc = VADD(VMUL(vf, cp), VMUL(vi, vg));
  if (peep) po = VADD(po, VMUL(load_n(peep + 2 * H + j, n), vc));
  v128_t vo = v_sigmoid(po);
  /* h = o ⊙ tanh(c) */
  v128_t vh = VMUL(vo, v_tanh(vc));
  store_n(gb + j, vi, n);
  store_n(gb + H + j, vf, n);
  store_n(gb + 2 * H + j, vg, n);
  store_n(gb + 3 * H + j, vo, n);
  store_n(cb + j, vc, n);
  if (csb) store_n(csb + j, vc, n);
  store_n(hb + j, vh, n);
  if (ob) store_n(ob + j, vh, n);
}

/* whhRows: W_hh already packed by pack_rows (the bridge caches it across calls), or 0; used when B = 1 (natively,
 * where the layout is the GEMM's, for any B). wihRows: W_ih packed the same way, or 0; used for a single frame
 * (T·B = 1: streaming; natively any), which then packs nothing.
 * gates and cs 0 (inference): nothing is kept; the input projection runs a few steps at a time into scratch. */
EXPORT(lstm_forward)
void lstm_forward(int T, int B, int I, int H, int P, int reverse, const float *x, const float *wih, const float *whh,
                  const float *whhRows, const float *wihRows, const float *bih, const float *bhh, const float *peep, const float *whr,
                  const int *lengths, const float *rd, const float *h0, const float *c0, float *out, float *hn,
                  float *cn, float *gates, float *cs) {
  const int R = P > 0 ? P : H, G = 4 * H;
  usize mark = arena_mark();
  /* the input projections gates = X W_ihᵀ, all steps' at once (kept for the backward) or a chunk of steps at a time;
   * the biases (b_ih + b_hh) join in the cell update */
  const float *wihP = proj_panels(T * B, G, I, wih, wihRows);
  const int kept = gates != 0, chunk = kept ? T : chunk_steps(T, B * G);
  int chunkT0 = 0;
  if (!gates) gates = (float *)arena_alloc((usize)chunk * B * G * 4);
  else input_projection(T * B, G, I, x, wihP, wihRows, gates);
  float *bias = 0;
  if (bih || bhh) {
    bias = (float *)arena_alloc((usize)G * 4);
    fill_zero(bias, G);
    if (bih) add_floats(bias, bih, G);
    if (bhh) add_floats(bias, bhh, G);
  }
  /* batch 1: matrix-vector products on the row-blocked W_hh; otherwise the GEMM on B panels */
  const int gemv = B == 1;
  const float *whhP = 0;
  if (gemv && !whhRows) {
    float *packed = (float *)arena_alloc(rows_packed_floats(R, G) * 4);
    pack_rows(R, G, whh, packed);
    whhRows = packed;
  }
  if (!gemv) whhP = whhRows && ROWS_ARE_PANELS ? whhRows : pack_b(R, G, whh, R, 1);
  const float *whrP = P > 0 ? pack_b(H, P, whr, H, 1) : 0;
  /* h is read in f32x4 chunks by gemv_rows: room for R rounded up to 4, the padding zero */
  const int Rp = (R + 3) & ~3, hLen = B * R > Rp ? B * R : Rp;
  float *h = (float *)arena_alloc((usize)hLen * 4), *c = (float *)arena_alloc((usize)B * H * 4);
  float *hin = rd ? (float *)arena_alloc((usize)hLen * 4) : h;
  float *m = P > 0 ? (float *)arena_alloc((usize)B * H * 4) : 0, *hp = P > 0 ? (float *)arena_alloc((usize)B * P * 4) : 0;
  fill_zero(h, hLen);
  if (rd) fill_zero(hin, hLen);
  if (h0) copy_floats(h, h0, B * R);
  if (c0) copy_floats(c, c0, B * H); else fill_zero(c, B * H);
  const int body = H & ~(VL - 1);

  for (int s = 0; s < T; s++) {
    const int t = reverse ? T - 1 - s : s;
    if (!kept && s % chunk == 0) {
      const int n = T - s < chunk ? T - s : chunk;
      chunkT0 = reverse ? T - s - n : s;
      input_projection(n * B, G, I, x + (usize)chunkT0 * B * I, wihP, wihRows, gates);
    }
    float *g = gates + (usize)(t - chunkT0) * B * G;
    if (rd) mul_floats(hin, h, rd, B * R);
    if (gemv) gemv_rows(R, G, hin, whhRows, g, 1);
    else gemm_packed(B, G, R, hin, R, 0, whhP, g, G, 1);
    for (int b = 0; b < B; b++) {
      float *gb = g + (usize)b * G, *cb = c + (usize)b * H, *csb = cs ? cs + ((usize)t * B + b) * H : 0;
      float *ob = out + ((usize)t * B + b) * R;
      if (!step_valid(lengths, b, t)) {
        if (csb) copy_floats(csb, cb, H);
        fill_zero(gb, G);
        if (P == 0) fill_zero(ob, R);
        continue;
      }
      float *hb = P > 0 ? m + (usize)b * H : h + (usize)b * R, *o = P == 0 ? ob : 0;
      for (int j = 0; j < body; j += VL) lstm_cell(H, j, VL, gb, bias, peep, cb, csb, hb, o);
      if (body < H) lstm_cell(H, body, H - body, gb, bias, peep, cb, csb, hb, o);
    }
    if (P > 0) {
      /* projection h = W_hr (o ⊙ tanh c) */
      gemm_packed(B, P, H, m, H, 0, whrP, hp, P, 0);
      for (int b = 0; b < B; b++) {
        float *ob = out + ((usize)t * B + b) * R;
        if (step_valid(lengths, b, t)) {
          copy_floats(h + (usize)b * R, hp + (usize)b * P, P);
          copy_floats(ob, hp + (usize)b * P, P);
        } else {
          fill_zero(ob, R);
        }
      }
    }
  }
  copy_floats(hn, h, B * R);
  copy_floats(cn, c, B * H);
  arena_release(mark);
}

EXPORT(lstm_backward)
void lstm_backward(int T, int B, int I, int H, int P, int reverse, const float *x, const float *wih, const float *whh,
                   const float *peep, const float *whr, const int *lengths, const float *rd, const float *h0,
                   const float *c0, const float *out, const float *gates, const float *cs, const float *dout, const float *dhn,
                   const float *dcn, float *dx, float *dwih, float *dwhh, float *db, float *dpeep, float *dwhr,
                   float *dh0, float *dc0) {
  const int R = P > 0 ? P : H, G = 4 * H;
  const usize TB = (usize)T * B;
  usize mark = arena_mark();
  float *dG = (float *)arena_alloc(TB * G * 4), *hprev = (float *)arena_alloc(TB * R * 4);
  float *dh = (float *)arena_alloc((usize)B * R * 4), *dc = (float *)arena_alloc((usize)B * H * 4);
  float *tmp = (float *)arena_alloc((usize)B * R * 4);
  float *zero = (float *)arena_alloc((usize)(R > H ? R : H) * 4);
  float *dm = 0, *mall = 0, *dhall = 0;
  if (P > 0) {
    dm = (float *)arena_alloc((usize)B * H * 4);
    mall = (float *)arena_alloc(TB * H * 4);
    dhall = (float *)arena_alloc(TB * P * 4);
  }
  const float *whhP = pack_b(G, R, whh, R, 0);
  const float *whrP = P > 0 ? pack_b(P, H, whr, H, 0) : 0;
  fill_zero(zero, R > H ? R : H);
  if (dhn) copy_floats(dh, dhn, B * R); else fill_zero(dh, B * R);
  if (dcn) copy_floats(dc, dcn, B * H); else fill_zero(dc, B * H);
  if (dpeep) fill_zero(dpeep, 3 * H);
  const float *wci = peep, *wcf = peep ? peep + H : 0, *wco = peep ? peep + 2 * H : 0;
  float *dci = dpeep, *dcf = dpeep ? dpeep + H : 0, *dco = dpeep ? dpeep + 2 * H : 0;

  for (int s = 0; s < T; s++) {
    const int t = reverse ? s : T - 1 - s;
    const int tp = reverse ? t + 1 : t - 1;
    const int hasPrev = tp >= 0 && tp < T;
    for (int b = 0; b < B; b++)
      if (dout && step_valid(lengths, b, t)) add_floats(dh + (usize)b * R, dout + ((usize)t * B + b) * R, R);
    /* through the projection: dm = dh W_hr */
    if (P > 0) gemm_packed(B, H, P, dh, P, 0, whrP, dm, H, 0);
    for (int b = 0; b < B; b++) {
      const usize row = (usize)t * B + b;
      float *dGb = dG + row * G, *hpb = hprev + row * R;
      if (!step_valid(lengths, b, t)) {
        fill_zero(dGb, G);
        fill_zero(hpb, R);
        if (P > 0) {
          fill_zero(mall + row * H, H);
          fill_zero(dhall + row * P, P);
        }
        continue;
      }
      const int prevValid = hasPrev && step_valid(lengths, b, tp);
      copy_floats(hpb, prevValid ? out + ((usize)tp * B + b) * R : row_or_zero(h0, b, R, zero), R);
      if (rd) mul_floats(hpb, hpb, rd + (usize)b * R, R); /* what entered W_hh */
      /* cs holds the carried state on padded steps, so the previous step's entry is c₋₁ even there */
      const float *cp = hasPrev ? cs + ((usize)tp * B + b) * H : row_or_zero(c0, b, H, zero);
      const float *gb = gates + row * G, *ct = cs + row * H;
      const float *hg = P > 0 ? dm + (usize)b * H : dh + (usize)b * R;
      float *dcb = dc + (usize)b * H;
      if (P > 0) copy_floats(dhall + row * P, dh + (usize)b * R, P);
      for (int j = 0; j < H; j += VL) {
        const int n = H - j < VL ? H - j : VL;
        const v128_t one = VSPLAT(1.0f);
        v128_t vi = load_n(gb + j, n), vf = load_n(gb + H + j, n), vg = load_n(gb + 2 * H + j, n),
               vo = load_n(gb + 3 * H + j, n);
        v128_t vc = load_n(ct + j, n), vcp = load_n(cp + j, n), dhv = load_n(hg + j, n);
        v128_t tc = v_tanh(vc);
        v128_t dpo = VMUL(VMUL(dhv, tc), VMUL(vo, VSUB(one, vo)));
        v128_t dct = VADD(load_n(dcb + j, n), VMUL(VMUL(dhv, vo), VSUB(one, VMUL(tc, tc))));
        if (peep) dct = VADD(dct, VMUL(dpo, load_n(wco + j, n)));
        v128_t dpi = VMUL(VMUL(dct, vg), VMUL(vi, VSUB(one, vi)));
        v128_t dpf = VMUL(VMUL(dct, vcp), VMUL(vf, VSUB(one, vf)));
        v128_t dpg = VMUL(VMUL(dct, vi), VSUB(one, VMUL(vg, vg)));
        /* dc₋₁ = dc ⊙ f (+ peephole paths) */
        v128_t dcp = VMUL(dct, vf);
        if (peep) {
          dcp = VADD(dcp, VADD(VMUL(dpi, load_n(wci + j, n)), VMUL(dpf, load_n(wcf + j, n))));
          store_n(dci + j, VADD(load_n(dci + j, n), VMUL(dpi, vcp)), n);
          store_n(dcf + j, VADD(load_n(dcf + j, n), VMUL(dpf, vcp)), n);
          store_n(dco + j, VADD(load_n(dco + j, n), VMUL(dpo, vc)), n);
        }
        store_n(dcb + j, dcp, n);
        store_n(dGb + j, dpi, n);
        store_n(dGb + H + j, dpf, n);
        store_n(dGb + 2 * H + j, dpg, n);
        store_n(dGb + 3 * H + j, dpo, n);
        if (P > 0) store_n(mall + row * H + j, VMUL(vo, tc), n);
      }
    }
    /* dh₋₁ = dG W_hh on the rows that stepped; padded rows carry dh through */
    gemm_packed(B, R, G, dG + (usize)t * B * G, G, 0, whhP, tmp, R, 0);
    for (int b = 0; b < B; b++)
      if (step_valid(lengths, b, t)) {
        if (rd) mul_floats(dh + (usize)b * R, tmp + (usize)b * R, rd + (usize)b * R, R);
        else copy_floats(dh + (usize)b * R, tmp + (usize)b * R, R);
      }
  }
  if (dh0) copy_floats(dh0, dh, B * R);
  if (dc0) copy_floats(dc0, dc, B * H);
  /* weight gradients over all steps at once */
  gemm(G, I, (int)TB, dG, G, 1, x, I, 0, dwih, I, 0);     /* dW_ih = dGᵀ X */
  gemm((int)TB, I, G, dG, G, 0, wih, I, 0, dx, I, 0);     /* dX = dG W_ih */
  gemm(G, R, (int)TB, dG, G, 1, hprev, R, 0, dwhh, R, 0); /* dW_hh = dGᵀ H₋₁ */
  if (db) column_sums((int)TB, G, dG, G, db);
  if (P > 0) gemm(P, H, (int)TB, dhall, P, 1, mall, H, 0, dwhr, H, 0); /* dW_hr = dHᵀ M */
  arena_release(mark);
}
