/*
 * GRU, one direction of one layer over a whole time-major sequence, PyTorch gate order r, z, n.
 *   r = σ(W_ir x + b_ir + W_hr h + b_hr)    z = σ(W_iz x + b_iz + W_hz h + b_hz)
 *   resetAfter (PyTorch, cuDNN):  n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
 *   reset before (Keras v1):      n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn)
 *   h' = (1 − z) ⊙ n + z ⊙ h
 * rd (recurrent dropout, optional) is a [B, H] mask on h₋₁ where it enters W_hh (the z ⊙ h path is unmasked).
 * Kept per step and row: r, z, n (3H), and W_hn h + b_hn (H) when resetAfter.
 */
#include "common.h"

EXPORT(gru_saved_width) int gru_saved_width(int H, int resetAfter) { return resetAfter ? 4 * H : 3 * H; }

/* whhRows / wihRows: W_hh / W_ih packed by pack_rows, or 0 (see lstm_forward); whhRows is used when B = 1 and
 * resetAfter (reset-before multiplies r ⊙ h by W_hn separately; natively for any B when resetAfter).
 * saved 0 (inference): nothing is kept; the input projection runs a few steps at a time into scratch. */
EXPORT(gru_forward)
void gru_forward(int T, int B, int I, int H, int reverse, int resetAfter, const float *x, const float *wih,
                 const float *whh, const float *whhRows, const float *wihRows, const float *bih, const float *bhh, const int *lengths, const float *rd,
                 const float *h0, float *out, float *hn, float *saved) {
  const int G = 3 * H, S = gru_saved_width(H, resetAfter);
  const usize TB = (usize)T * B;
  usize mark = arena_mark();
  const int kept = saved != 0, chunk = kept ? T : chunk_steps(T, B * G);
  int chunkT0 = 0;
  const float *wihP = proj_panels((int)TB, G, I, wih, wihRows);
  float *gx = (float *)arena_alloc((usize)chunk * B * G * 4);
  /* without a backward nothing is saved, except reset-before's z, which its second pass reads back */
  float *stepSaved = kept || resetAfter ? 0 : (float *)arena_alloc((usize)B * S * 4);
  /* batch 1 (reset after): matrix-vector products on the row-blocked W_hh; h padded to a multiple of 4 for them */
  const int gemv = B == 1 && resetAfter;
  const int hLen = B * H > ((H + 3) & ~3) ? B * H : ((H + 3) & ~3);
  if (gemv && !whhRows) {
    float *packed = (float *)arena_alloc(rows_packed_floats(H, G) * 4);
    pack_rows(H, G, whh, packed);
    whhRows = packed;
  }
  float *h = (float *)arena_alloc((usize)hLen * 4), *gh = (float *)arena_alloc((usize)B * G * 4);
  float *rh = (float *)arena_alloc((usize)B * H * 4);
  float *hin = rd ? (float *)arena_alloc((usize)hLen * 4) : h;
  fill_zero(h, hLen);
  if (rd) fill_zero(hin, hLen);
  /* bias terms: r and z take b_ih + b_hh in the gate update; n takes b_in with the input projection and b_hn with
   * the hidden one (reset-after: inside r ⊙ (W_hn h + b_hn)) */
  float *bx = (float *)arena_alloc((usize)G * 4), *bh = (float *)arena_alloc((usize)G * 4);
  fill_zero(bx, G);
  fill_zero(bh, G);
  if (bih) add_floats(bx, bih, G);
  if (bhh) add_floats(bh + 2 * H, bhh + 2 * H, H);
  if (bhh) add_floats(bx, bhh, 2 * H);
  const float *whhP = resetAfter && !gemv ? (whhRows && ROWS_ARE_PANELS ? whhRows : pack_b(H, G, whh, H, 1)) : 0;
  const float *wrzP = resetAfter ? 0 : pack_b(H, 2 * H, whh, H, 1);
  const float *wnP = resetAfter ? 0 : pack_b(H, H, whh + (usize)2 * H * H, H, 1);
  if (h0) copy_floats(h, h0, B * H); else fill_zero(h, B * H);

  for (int s = 0; s < T; s++) {
    const int t = reverse ? T - 1 - s : s;
    if (s % chunk == 0) {
      /* the input projections of the next chunk of steps (all of them when kept), b_ih added */
      const int n = T - s < chunk ? T - s : chunk;
      chunkT0 = reverse ? T - s - n : s;
      input_projection(n * B, G, I, x + (usize)chunkT0 * B * I, wihP, wihRows, gx);
    }
    const float *gxt = gx + (usize)(t - chunkT0) * B * G;
    float *svt = kept ? saved + (usize)t * B * S : stepSaved;
    if (rd) mul_floats(hin, h, rd, B * H);
    if (gemv) gemv_rows(H, G, hin, whhRows, gh, 0);
    else if (resetAfter) gemm_packed(B, G, H, hin, H, 0, whhP, gh, G, 0);
    else gemm_packed(B, 2 * H, H, hin, H, 0, wrzP, gh, G, 0);
    /* r and z (and, reset-after, n) */
    for (int b = 0; b < B; b++) {
      const usize row = (usize)t * B + b;
      float *sv = svt ? svt + (usize)b * S : 0, *hb = h + (usize)b * H, *ob = out + row * H;
      if (!step_valid(lengths, b, t)) {
        if (sv) fill_zero(sv, S);
        fill_zero(ob, H);
        fill_zero(rh + (usize)b * H, H);
        continue;
      }
      const float *gxb = gxt + (usize)b * G, *ghb = gh + (usize)b * G;
      for (int j = 0; j < H; j += VL) {
        const int n = H - j < VL ? H - j : VL;
        v128_t r = v_sigmoid(VADD(VADD(load_n(gxb + j, n), load_n(ghb + j, n)), load_n(bx + j, n)));
        v128_t z = v_sigmoid(VADD(VADD(load_n(gxb + H + j, n), load_n(ghb + H + j, n)), load_n(bx + H + j, n)));
        if (sv) store_n(sv + H + j, z, n);
        if (!resetAfter) {
          store_n(sv + j, r, n);
          store_n(rh + (usize)b * H + j, VMUL(r, load_n(hin + (usize)b * H + j, n)), n);
          continue;
        }
        v128_t ghn = VADD(load_n(ghb + 2 * H + j, n), load_n(bh + 2 * H + j, n));
        /* n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)) */
        v128_t nn = v_tanh(VADD(VADD(load_n(gxb + 2 * H + j, n), load_n(bx + 2 * H + j, n)), VMUL(r, ghn)));
        v128_t hv = load_n(hb + j, n);
        /* h' = n + z ⊙ (h − n) */
        v128_t hnew = VADD(nn, VMUL(z, VSUB(hv, nn)));
        if (sv) {
          store_n(sv + j, r, n);
          store_n(sv + 2 * H + j, nn, n);
          store_n(sv + 3 * H + j, ghn, n);
        }
        store_n(hb + j, hnew, n);
        store_n(ob + j, hnew, n);
      }
    }
    if (resetAfter) continue;
    /* reset before: n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn) */
    gemm_packed(B, H, H, rh, H, 0, wnP, gh + 2 * H, G, 0);
    for (int b = 0; b < B; b++) {
      if (!step_valid(lengths, b, t)) continue;
      const usize row = (usize)t * B + b;
      float *sv = svt + (usize)b * S, *hb = h + (usize)b * H, *ob = out + row * H;
      const float *gxb = gxt + (usize)b * G, *ghb = gh + (usize)b * G;
      for (int j = 0; j < H; j += VL) {
        const int n = H - j < VL ? H - j : VL;
        v128_t nn = v_tanh(VADD(VADD(load_n(gxb + 2 * H + j, n), load_n(bx + 2 * H + j, n)),
                                VADD(load_n(ghb + 2 * H + j, n), load_n(bh + 2 * H + j, n))));
        v128_t z = load_n(sv + H + j, n), hv = load_n(hb + j, n);
        v128_t hnew = VADD(nn, VMUL(z, VSUB(hv, nn)));
        store_n(sv + 2 * H + j, nn, n);
        store_n(hb + j, hnew, n);
        store_n(ob + j, hnew, n);
      }
    }
  }
  copy_floats(hn, h, B * H);
  arena_release(mark);
}

EXPORT(gru_backward)
void gru_backward(int T, int B, int I, int H, int reverse, int resetAfter, const float *x, const float *wih,
                  const float *whh, const int *lengths, const float *rd, const float *h0, const float *out,
                  const float *saved,
                  const float *dout, const float *dhn, float *dx, float *dwih, float *dwhh, float *dbih, float *dbhh,
                  float *dh0) {
  const int G = 3 * H, S = gru_saved_width(H, resetAfter);
  const usize TB = (usize)T * B;
  usize mark = arena_mark();
  float *dgx = (float *)arena_alloc(TB * G * 4);
  float *dgh = resetAfter ? (float *)arena_alloc(TB * G * 4) : dgx;
  float *hprev = (float *)arena_alloc(TB * H * 4);
  float *rh = resetAfter ? 0 : (float *)arena_alloc(TB * H * 4);
  float *dh = (float *)arena_alloc((usize)B * H * 4), *tmp = (float *)arena_alloc((usize)B * H * 4);
  float *drh = (float *)arena_alloc((usize)B * H * 4), *zero = (float *)arena_alloc((usize)H * 4);
  fill_zero(zero, H);
  const float *whhP = resetAfter ? pack_b(G, H, whh, H, 0) : 0;
  const float *wrzP = resetAfter ? 0 : pack_b(2 * H, H, whh, H, 0);
  const float *wnP = resetAfter ? 0 : pack_b(H, H, whh + (usize)2 * H * H, H, 0);
  if (dhn) copy_floats(dh, dhn, B * H); else fill_zero(dh, B * H);

  for (int s = 0; s < T; s++) {
    const int t = reverse ? s : T - 1 - s;
    const int tp = reverse ? t + 1 : t - 1;
    const int hasPrev = tp >= 0 && tp < T;
    for (int b = 0; b < B; b++) {
      const usize row = (usize)t * B + b;
      float *hpb = hprev + row * H;
      if (!step_valid(lengths, b, t)) {
        fill_zero(dgx + row * G, G);
        if (resetAfter) fill_zero(dgh + row * G, G);
        else fill_zero(rh + row * H, H);
        fill_zero(hpb, H);
        continue;
      }
      if (dout) add_floats(dh + (usize)b * H, dout + row * H, H);
      const int prevValid = hasPrev && step_valid(lengths, b, tp);
      copy_floats(hpb, prevValid ? out + ((usize)tp * B + b) * H : (h0 ? h0 + (usize)b * H : zero), H);
      const float *sv = saved + row * S;
      float *dgxb = dgx + row * G, *dghb = dgh + row * G, *dhb = dh + (usize)b * H;
      for (int j = 0; j < H; j += VL) {
        const int n = H - j < VL ? H - j : VL;
        const v128_t one = VSPLAT(1.0f);
        v128_t r = load_n(sv + j, n), z = load_n(sv + H + j, n), nn = load_n(sv + 2 * H + j, n);
        v128_t hp = load_n(hpb + j, n), dhv = load_n(dhb + j, n);
        v128_t dz = VMUL(VMUL(dhv, VSUB(hp, nn)), VMUL(z, VSUB(one, z)));
        v128_t dn = VMUL(VMUL(dhv, VSUB(one, z)), VSUB(one, VMUL(nn, nn)));
        store_n(dgxb + H + j, dz, n);
        store_n(dgxb + 2 * H + j, dn, n);
        if (resetAfter) {
          v128_t ghn = load_n(sv + 3 * H + j, n);
          v128_t dr = VMUL(VMUL(dn, ghn), VMUL(r, VSUB(one, r)));
          store_n(dgxb + j, dr, n);
          store_n(dghb + j, dr, n);
          store_n(dghb + H + j, dz, n);
          store_n(dghb + 2 * H + j, VMUL(dn, r), n);
        }
        /* the direct path: ∂h'/∂h = z */
        store_n(dhb + j, VMUL(dhv, z), n);
      }
      if (rd) mul_floats(hpb, hpb, rd + (usize)b * H, H); /* from here on: what entered W_hh */
    }
    if (resetAfter) {
      gemm_packed(B, H, G, dgh + (usize)t * B * G, G, 0, whhP, tmp, H, 0);
    } else {
      /* d(r ⊙ h) = dn W_hn, then r's gradient, then the r, z rows of W_hh */
      gemm_packed(B, H, H, dgx + (usize)t * B * G + 2 * H, G, 0, wnP, drh, H, 0);
      for (int b = 0; b < B; b++) {
        if (!step_valid(lengths, b, t)) continue;
        const usize row = (usize)t * B + b;
        const float *sv = saved + row * S, *hpb = hprev + row * H;
        float *dgxb = dgx + row * G, *dhb = dh + (usize)b * H, *rhb = rh + row * H;
        for (int j = 0; j < H; j += VL) {
          const int n = H - j < VL ? H - j : VL;
          v128_t r = load_n(sv + j, n), hp = load_n(hpb + j, n), d = load_n(drh + (usize)b * H + j, n);
          store_n(dgxb + j, VMUL(VMUL(d, hp), VMUL(r, VSUB(VSPLAT(1.0f), r))), n);
          v128_t back = VMUL(d, r);
          if (rd) back = VMUL(back, load_n(rd + (usize)b * H + j, n));
          store_n(dhb + j, VADD(load_n(dhb + j, n), back), n);
          store_n(rhb + j, VMUL(r, hp), n);
        }
      }
      gemm_packed(B, H, 2 * H, dgx + (usize)t * B * G, G, 0, wrzP, tmp, H, 0);
    }
    for (int b = 0; b < B; b++) {
      if (!step_valid(lengths, b, t)) continue;
      if (rd) add_mul_floats(dh + (usize)b * H, tmp + (usize)b * H, rd + (usize)b * H, H);
      else add_floats(dh + (usize)b * H, tmp + (usize)b * H, H);
    }
  }
  if (dh0) copy_floats(dh0, dh, B * H);
  gemm(G, I, (int)TB, dgx, G, 1, x, I, 0, dwih, I, 0); /* dW_ih = dGxᵀ X */
  gemm((int)TB, I, G, dgx, G, 0, wih, I, 0, dx, I, 0); /* dX = dGx W_ih */
  if (resetAfter) {
    gemm(G, H, (int)TB, dgh, G, 1, hprev, H, 0, dwhh, H, 0); /* dW_hh = dGhᵀ H₋₁ */
  } else {
    gemm(2 * H, H, (int)TB, dgx, G, 1, hprev, H, 0, dwhh, H, 0);
    gemm(H, H, (int)TB, dgx + 2 * H, G, 1, rh, H, 0, dwhh + (usize)2 * H * H, H, 0); /* dW_hn = dnᵀ (r ⊙ h₋₁) */
  }
  if (dbih) column_sums((int)TB, G, dgx, G, dbih);
  if (dbhh) column_sums((int)TB, G, dgh, G, dbhh);
  arena_release(mark);
}
