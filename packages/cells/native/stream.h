/* Streaming inference kept native-side (stream.c): packed weights and carried state of a unidirectional layer. */
#ifndef GATED_STREAM_H
#define GATED_STREAM_H

#include "native.h"

#define STREAM_LSTM 0
#define STREAM_GRU 1
#define STREAM_RNN 2
#define STREAM_MAX_LAYERS 64

typedef struct {
  int I;
  float *wih, *whh;   /* PyTorch's layout, kept to repack when the instruction set changes */
  float *wihP, *whhP; /* packed by pack_rows for the ISA `isa` */
  /* what the kernels would otherwise pack on every push, packed once for `isa`: W_hr (LSTM with a projection) or
   * W_hh's r, z rows and its n rows (GRU resetting before) */
  kept_packing kept[2];
  int nkept;
  float *bih, *bhh, *peep, *whr;
  float *h, *c; /* carried state [B, R] / [B, H] */
  const char *isa;
} stream_layer;

typedef struct {
  int kind, B, H, P, R, G, L;
  int flag; /* GRU: resetAfter; RNN: relu */
  stream_layer layers[STREAM_MAX_LAYERS];
} stream_state;

stream_state *stream_new(int kind, int batch, int hidden, int proj, int flag);
/* Copies one layer's weights (0 where absent) and packs them; returns 0 when out of memory or layers. */
int stream_add_layer(stream_state *s, int inputSize, const float *wih, const float *whh, const float *bih,
                     const float *bhh, const float *peep, const float *whr);
/* Runs every layer over x [B, T, I0], writing the top layer's outputs [B, T, R] to out; the state moves on by T. */
int stream_push(stream_state *s, int T, const float *x, float *out);
void stream_free(stream_state *s);

#endif
