/* Linear-memory bump allocator. Buffers are 16-byte aligned so SIMD loads never straddle. */
#include "common.h"

#ifdef __wasm__
extern unsigned char __heap_base;
#define ARENA_STATE static
#else
/* native: the addon reserves an address range per thread, the JavaScript thread's playing the part of wasm memory
 * (native/memory.c); each thread bumps its own arena */
#define __heap_base (*native_heap_base())
unsigned char *native_heap_base(void);
int native_heap_ensure(usize end);
#define ARENA_STATE static __thread
#endif
ARENA_STATE usize top = 0;
/* Everything below the floor survives arena_reset: buffers the bridge keeps across calls (packed weights). */
ARENA_STATE usize floor_ = 0;

static usize heap_start(void) { return ((usize)&__heap_base + 15u) & ~(usize)15u; }

EXPORT(arena_reset) void arena_reset(void) { top = floor_ ? floor_ : heap_start(); }
/* Makes everything allocated so far permanent (until arena_drop); returns the new floor. */
EXPORT(arena_keep) usize arena_keep(void) {
  if (top == 0) arena_reset();
  floor_ = top;
  return floor_;
}
/* Releases the kept buffers too: the next allocation starts at the bottom of the heap. */
EXPORT(arena_drop) void arena_drop(void) {
  floor_ = 0;
  top = heap_start();
}

EXPORT(arena_alloc) void *arena_alloc(usize bytes) {
  if (top == 0) arena_reset();
  usize start = top;
  usize end = (start + bytes + 15u) & ~(usize)15u;
#ifdef __wasm__
  usize have = (usize)__builtin_wasm_memory_size(0) * 65536u;
  if (end > have) {
    usize pages = (end - have + 65535u) / 65536u;
    if (__builtin_wasm_memory_grow(0, pages) == (usize)-1) return 0;
  }
#else
  if (!native_heap_ensure(end)) return 0;
#endif
  top = end;
  return (void *)start;
}

usize arena_mark(void) { return top; }
void arena_release(usize mark) { top = mark; }

void fill_zero(float *p, int n) {
  for (int i = 0; i < n; i++) p[i] = 0.0f;
}
void copy_floats(float *dst, const float *src, int n) {
  for (int i = 0; i < n; i++) dst[i] = src[i];
}
void add_floats(float *dst, const float *src, int n) {
  for (int i = 0; i < n; i++) dst[i] += src[i];
}
void mul_floats(float *dst, const float *a, const float *b, int n) {
  for (int i = 0; i < n; i++) dst[i] = a[i] * b[i];
}
void add_mul_floats(float *dst, const float *a, const float *b, int n) {
  for (int i = 0; i < n; i++) dst[i] += a[i] * b[i];
}
void column_sums(int rows, int cols, const float *A, int lda, float *out) {
  for (int j = 0; j < cols; j++) out[j] = 0.0f;
  for (int r = 0; r < rows; r++) {
    const float *a = A + (usize)r * lda;
    for (int j = 0; j < cols; j++) out[j] += a[j];
  }
}

/* [A, B, F] → [B, A, F]: batch-first ↔ time-major, done here so JavaScript copies each sequence once. */
EXPORT(transpose01) void transpose01(const float *src, float *dst, int A, int B, int F) {
  for (int a = 0; a < A; a++)
    for (int b = 0; b < B; b++) copy_floats(dst + ((usize)b * A + a) * F, src + ((usize)a * B + b) * F, F);
}
