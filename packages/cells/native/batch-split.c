/*
 * Multi-threading across the batch: rows of a recurrence never interact, so a whole-sequence kernel call is split
 * into contiguous slices of batch rows, one per pool thread, each running the unchanged kernel on its own copy of
 * its rows (gathered from and scattered back to the time-major [T, B, ·] buffers) with no synchronisation per step.
 * The slices' boundaries depend on the thread count only; which thread runs a slice does not change what it computes.
 * Weight gradients come back per slice and are summed in slice order, so a fixed thread count gives fixed results.
 * Each kernel's arguments are described by a spec: one token per argument (see arg_kind).
 */
#include "batch-split.h"

#include <string.h>

/* Rows per slice below which splitting costs more than it saves. */
#define MIN_ROWS 4
#define MAX_SLICES 64

typedef struct {
  const split_kernel *kernel;
  const int64_t *args; /* the caller's arguments, pointers already absolute */
  int B, slices;
  int64_t *sliced[MAX_SLICES]; /* per slice: arguments pointing at its own buffers */
  float *sums[MAX_SLICES][SPLIT_MAX_ARGS];
} split_job;

/* gather: rows b0 .. b0 + rows of full [T, B, width] → part [T, rows, width]; else the reverse */
static void copy_rows(float *part_or_full, const float *src, int T, int B, int b0, int rows, int width, int gather) {
  float *dst = part_or_full;
  for (int t = 0; t < T; t++) {
    const usize full = ((usize)t * B + b0) * width, part = (usize)t * rows * width, n = (usize)rows * width;
    if (gather) memcpy(dst + part, src + full, n * sizeof(float));
    else memcpy(dst + full, src + part, n * sizeof(float));
  }
}

static void slice_worker(void *ctx, int w, int n) {
  split_job *job = (split_job *)ctx;
  const split_kernel *k = job->kernel;
  const int b0 = (int)((long)job->B * w / n), b1 = (int)((long)job->B * (w + 1) / n), rows = b1 - b0;
  int64_t a[SPLIT_MAX_ARGS];
  split_dims d;
  k->dims(job->args, &d);
  /* w is the slice, run by whichever pool thread claimed it; each thread allocates in its own arena (the caller's
   * holds the call's inputs: above them) */
  const usize mark = arena_mark();
  for (int i = 0; i < k->nargs; i++) {
    const char kind = k->spec[2 * i], width = k->spec[2 * i + 1];
    a[i] = job->args[i];
    if (kind == 'b') a[i] = rows;
    if (job->args[i] == 0 || kind == 'i' || kind == 'b' || kind == 'w') continue;
    const int wd = split_width(&d, width);
    const int seq = kind == 's' || kind == 'S', out = kind == 'S' || kind == 'R';
    const int T = seq ? d.T : 1;
    if (kind == 'g') {
      /* summed output: slice 0 writes the caller's buffer, the others their own (made by split_run, added in slice
       * order) */
      a[i] = (int64_t)(usize)job->sums[w][i];
      continue;
    }
    float *buf = (float *)arena_alloc((usize)T * rows * wd * sizeof(float));
    if (!out) copy_rows(buf, (const float *)(usize)job->args[i], T, job->B, b0, rows, wd, 1);
    a[i] = (int64_t)(usize)buf;
  }
  k->call(a);
  for (int i = 0; i < k->nargs; i++) {
    const char kind = k->spec[2 * i];
    if (job->args[i] == 0 || (kind != 'S' && kind != 'R')) continue;
    const int T = kind == 'S' ? d.T : 1;
    copy_rows((float *)(usize)job->args[i], (const float *)(usize)a[i], T, job->B, b0, rows,
              split_width(&d, k->spec[2 * i + 1]), 0);
  }
  arena_release(mark);
}

int split_width(const split_dims *d, char code) {
  switch (code) {
  case 'I': return d->I;
  case 'H': return d->H;
  case 'R': return d->R;
  case 'G': return d->G;
  case 'S': return d->S;
  case 'g': return d->G * d->I;   /* dW_ih */
  case 'h': return d->G * d->R;   /* dW_hh */
  case 'p': return 3 * d->H;      /* peepholes */
  case 'q': return d->P * d->H;   /* dW_hr */
  case '1': return 1;
  default: return 0;
  }
}

int split_run(const split_kernel *k, const int64_t *args) {
  split_dims d;
  k->dims(args, &d);
  int slices = pool_threads();
  if (slices > d.B / MIN_ROWS) slices = d.B / MIN_ROWS;
  if (slices > MAX_SLICES) slices = MAX_SLICES;
  if (slices <= 1) {
    k->call(args);
    return 1;
  }
  split_job job = {.kernel = k, .args = args, .B = d.B, .slices = slices};
  /* the slices' own gradient buffers, on the calling thread and made before any slice runs: a thread may run
   * several slices one after another, each releasing its scratch when done */
  const usize mark = arena_mark();
  for (int i = 0; i < k->nargs; i++) {
    if (k->spec[2 * i] != 'g' || args[i] == 0) continue;
    const int n = split_width(&d, k->spec[2 * i + 1]);
    job.sums[0][i] = (float *)(usize)args[i];
    for (int s = 1; s < slices; s++) job.sums[s][i] = (float *)arena_alloc((usize)n * sizeof(float));
  }
  pool_run(slices, slice_worker, &job);
  for (int i = 0; i < k->nargs; i++) {
    if (k->spec[2 * i] != 'g' || args[i] == 0) continue;
    const int n = split_width(&d, k->spec[2 * i + 1]);
    for (int s = 1; s < slices; s++) add_floats(job.sums[0][i], job.sums[s][i], n);
  }
  arena_release(mark);
  return slices;
}
