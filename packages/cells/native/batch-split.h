/* Splitting a whole-sequence kernel call across the batch (batch-split.c). */
#ifndef GATED_BATCH_SPLIT_H
#define GATED_BATCH_SPLIT_H

#include "native.h"

#include <stdint.h>

#define SPLIT_MAX_ARGS 32

/* Sizes a spec's width codes refer to, read from a call's arguments. */
typedef struct {
  int T, B, I, H, R, G, S, P;
} split_dims;

/*
 * spec: two characters per argument, kind then width code.
 *   kind  'i' int, passed as is   'b' the batch size (becomes the slice's)   'w' shared (weights)
 *         's' / 'S' sequence [T, B, width] in / out    'r' / 'R' rows [B, width] in / out
 *         'g' summed output of `width` floats (weight gradients)
 *   width 'I' 'H' 'R' (out) 'G' (gates) 'S' (GRU saved) '1', and for 'g': 'g' G·I, 'h' G·R, 'p' 3H, 'q' P·H, 'G' G
 */
typedef struct {
  const char *spec;
  int nargs;
  void (*dims)(const int64_t *a, split_dims *d);
  void (*call)(const int64_t *a);
} split_kernel;

int split_width(const split_dims *d, char code);
/* Runs the kernel on min(threads, B / 4) slices of the batch; returns the number of slices. */
int split_run(const split_kernel *k, const int64_t *args);

#endif
