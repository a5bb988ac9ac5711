/*
 * Streaming inference state kept native-side: a unidirectional recurrent layer's weights packed once (the GEMM's
 * panels of W_ihᵀ and W_hhᵀ, which serve one row as a matrix-vector product and several as the GEMM), its biases,
 * and the carried h (and c) of every layer. A push runs every layer over a frame or a chunk with the whole-sequence
 * kernels in inference mode (nothing kept for a backward), reading the caller's input and writing its output in
 * place: one call per frame, no copies of the weights, no packing (what the kernels would pack per call beyond W_ih
 * and W_hh — W_hr, reset-before GRU's split W_hh — is packed once too and handed to them through pack_b).
 */
#include "stream.h"

#include <stdlib.h>
#include <string.h>

static float *copy_of(const float *src, usize n) {
  if (!src) return 0;
  float *dst = (float *)malloc((n ? n : 1) * sizeof(float));
  if (dst) memcpy(dst, src, n * sizeof(float));
  return dst;
}

static float *packed_of(const float *w, int K, int N) {
  float *dst = (float *)aligned_alloc(64, ((rows_packed_bytes(K, N) + 63) & ~(usize)63));
  if (dst) pack_rows(K, N, w, dst);
  return dst;
}

stream_state *stream_new(int kind, int batch, int hidden, int proj, int flag) {
  stream_state *s = (stream_state *)calloc(1, sizeof(stream_state));
  if (!s) return 0;
  s->kind = kind;
  s->B = batch;
  s->H = hidden;
  s->P = kind == STREAM_LSTM ? proj : 0;
  s->R = s->P > 0 ? s->P : hidden;
  s->G = (kind == STREAM_LSTM ? 4 : kind == STREAM_GRU ? 3 : 1) * hidden;
  s->flag = flag;
  return s;
}

static void free_kept(stream_layer *l) {
  for (int i = 0; i < l->nkept; i++) free((float *)l->kept[i].packed);
  l->nkept = 0;
}

static void free_layer(stream_layer *l) {
  free_kept(l);
  free(l->wih);
  free(l->whh);
  free(l->wihP);
  free(l->whhP);
  free(l->bih);
  free(l->bhh);
  free(l->peep);
  free(l->whr);
  free(l->h);
  free(l->c);
}

void stream_free(stream_state *s) {
  if (!s) return;
  for (int k = 0; k < s->L; k++) free_layer(&s->layers[k]);
  free(s);
}

/* (Re)packs a layer's W_ih and W_hh for the instruction set in use: its panel width is the GEMM's. */
static int pack_layer(const stream_state *s, stream_layer *l) {
  free(l->wihP);
  free(l->whhP);
  l->wihP = packed_of(l->wih, l->I, s->G);
  l->whhP = packed_of(l->whh, s->R, s->G);
  l->isa = native_isa();
  free_kept(l);
  /* the same arguments as the kernels' own pack_b calls (lstm.c: W_hr; gru.c, reset before: W_hh's r, z and n rows) */
  const int H = s->H;
  if (s->kind == STREAM_LSTM && s->P > 0) {
    l->kept[l->nkept++] = (kept_packing){l->whr, H, s->P, H, 1, pack_b_owned(H, s->P, l->whr, H, 1)};
  } else if (s->kind == STREAM_GRU && !s->flag) {
    l->kept[l->nkept++] = (kept_packing){l->whh, H, 2 * H, H, 1, pack_b_owned(H, 2 * H, l->whh, H, 1)};
    const float *wn = l->whh + (usize)2 * H * H;
    l->kept[l->nkept++] = (kept_packing){wn, H, H, H, 1, pack_b_owned(H, H, wn, H, 1)};
  }
  for (int i = 0; i < l->nkept; i++)
    if (!l->kept[i].packed) return 0;
  return l->wihP && l->whhP;
}

int stream_add_layer(stream_state *s, int inputSize, const float *wih, const float *whh, const float *bih,
                     const float *bhh, const float *peep, const float *whr) {
  if (s->L >= STREAM_MAX_LAYERS) return 0;
  stream_layer *l = &s->layers[s->L];
  memset(l, 0, sizeof *l);
  l->I = inputSize;
  l->wih = copy_of(wih, (usize)s->G * inputSize);
  l->whh = copy_of(whh, (usize)s->G * s->R);
  l->bih = copy_of(bih, (usize)s->G);
  l->bhh = copy_of(bhh, (usize)s->G);
  l->peep = copy_of(peep, (usize)3 * s->H);
  l->whr = copy_of(whr, (usize)s->P * s->H);
  l->h = (float *)calloc((usize)s->B * s->R, sizeof(float));
  l->c = s->kind == STREAM_LSTM ? (float *)calloc((usize)s->B * s->H, sizeof(float)) : 0;
  const int ok = l->wih && l->whh && (!bih || l->bih) && (!bhh || l->bhh) && (!peep || l->peep) && (!whr || l->whr) &&
                 l->h && (s->kind != STREAM_LSTM || l->c) && pack_layer(s, l);
  if (!ok) {
    free_layer(l);
    return 0;
  }
  s->L++;
  return 1;
}

int stream_push(stream_state *s, int T, const float *x, float *out) {
  const int B = s->B, R = s->R;
  const usize mark = arena_mark();
  const kernel_set *k = native_kernels();
  /* the kernels run time-major: with several rows and steps, x [B, T, I] is transposed in (and the output out) */
  const int transpose = B > 1 && T > 1;
  const float *in = x;
  if (transpose) {
    float *tm = (float *)arena_alloc((usize)T * B * s->layers[0].I * sizeof(float));
    if (!tm) return 0;
    transpose01(x, tm, B, T, s->layers[0].I);
    in = tm;
  }
  for (int i = 0; i < s->L; i++) {
    stream_layer *l = &s->layers[i];
    if (l->isa != native_isa() && !pack_layer(s, l)) {
      arena_release(mark);
      return 0;
    }
    const int last = i == s->L - 1;
    float *y = last && !transpose ? out : (float *)arena_alloc((usize)T * B * R * sizeof(float));
    if (!y) {
      arena_release(mark);
      return 0;
    }
    native_use_packed(l->kept, l->nkept);
    /* h0 and hn (c0 and cn) may be the same buffer: the kernels copy the state in before the first step */
    if (s->kind == STREAM_LSTM)
      k->lstm_forward(T, B, l->I, s->H, s->P, 0, in, l->wih, l->whh, l->whhP, l->wihP, l->bih, l->bhh, l->peep, l->whr, 0, 0,
                      l->h, l->c, y, l->h, l->c, 0, 0);
    else if (s->kind == STREAM_GRU)
      k->gru_forward(T, B, l->I, s->H, 0, s->flag, in, l->wih, l->whh, l->whhP, l->wihP, l->bih, l->bhh, 0, 0, l->h, y, l->h,
                     0);
    else
      k->rnn_forward(T, B, l->I, s->H, 0, s->flag, in, l->wih, l->whh, l->whhP, l->wihP, l->bih, l->bhh, 0, 0, l->h, y, l->h);
    native_use_packed(0, 0);
    in = y;
  }
  if (transpose) transpose01(in, out, T, B, R);
  arena_release(mark);
  return 1;
}
