/*
 * The native stand-in for wasm linear memory: one 4 GiB address range reserved up front (pages are committed only
 * when touched), shared with JavaScript as an external ArrayBuffer. The kernels' bump arena (kernels/arena.c)
 * allocates inside it, and JavaScript addresses buffers by byte offset, exactly as it does wasm memory — so the
 * TypeScript bridge and the kernel sources are the same for both.
 */
#define _GNU_SOURCE
#include "native.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define RESERVED ((usize)1 << 32)
/* offset 0 means "absent" to the kernels, so the heap starts a little above the range's base */
#define HEAP_OFFSET 64

/* the shared range (JavaScript's thread) and this thread's own: pool workers get a private range for their arena,
 * one per worker index, reserved the first time that index runs and reused by every later thread with the index
 * (pool_set_threads stops and restarts the workers), so changing the thread count reserves nothing new */
static unsigned char *shared = 0;
static unsigned char *worker_ranges[POOL_MAX_THREADS];
static __thread unsigned char *mine = 0;

static unsigned char *reserve(void) {
  void *p = mmap(0, RESERVED, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? 0 : (unsigned char *)p;
}

/* Called on the JavaScript thread when the addon loads: that thread's arena is the shared range. */
unsigned char *native_memory(usize *bytes) {
  if (!shared) shared = reserve();
  mine = shared;
  if (bytes) *bytes = RESERVED;
  return shared;
}

/* Called by pool worker `id` (1 ..) when it starts, before it runs a kernel: its arena is the index's range. The
 * previous thread with this index has exited (pool.c joins it first), so the range is free to take over. */
void native_bind_worker(int id) {
  if (id < 1 || id >= POOL_MAX_THREADS) return;
  if (!worker_ranges[id]) worker_ranges[id] = reserve();
  mine = worker_ranges[id];
}

unsigned char *native_heap_base(void) {
  if (!mine) mine = reserve();
  return mine + HEAP_OFFSET;
}

int native_heap_ensure(usize end) { return mine && end <= (usize)mine + RESERVED; }

/* glibc serves an allocation above its mmap threshold (128 KiB, raised to the largest chunk freed so far) with a
 * fresh mapping and unmaps it on free, so a large ArrayBuffer made per call — every tensor read back with dataSync:
 * tfjs's wasm backend slices its heap into a new one — is paged in from nothing each time. Where a page fault is
 * dear (~15 µs per 4 KiB page, measured on the sandboxed benchmark machine) that cost more than the kernel: reading
 * back a [64, 100, 256] output took 24 ms after a 20 ms GRU. Called once when the addon loads: allocations up to
 * 32 MiB come from the heap and freed memory up to 256 MiB stays there for the next one.
 * GATED_NATIVE_MALLOC=system leaves glibc's defaults alone (and native_warm_heap does nothing). */
static int tuned = 0;
void native_tune_malloc(void) {
  const char *env = getenv("GATED_NATIVE_MALLOC");
  if (env && strcmp(env, "system") == 0) return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  tuned = 1;
}

/* Freed blocks come back only when V8 collects the ArrayBuffers that held them, after tens of MB of new ones, so
 * until then every read-back would still take new pages. So that a call's results can be read back from the first
 * call on, the heap is paged in once and freed for reuse (pieces below the mmap threshold: into the heap, where the
 * trim threshold keeps them): ten times the largest result seen so far, at most 64 MiB (for a 6.5 MB result per
 * call 32 MiB measured too little, 64 MiB enough). Called on the JavaScript thread with each whole-sequence call's
 * output size; grows only. */
void native_warm_heap(usize resultBytes) {
  enum { PIECE = 16 << 20, PIECES = 4 };
  static usize warmed = 0;
  const usize most = (usize)PIECE * PIECES;
  const usize want = resultBytes >= most / 10 ? most : resultBytes * 10;
  if (!tuned || want <= warmed) return;
  volatile unsigned char *piece[PIECES] = {0};
  usize left = want;
  for (int i = 0; i < PIECES && left > 0; i++, left = left > PIECE ? left - PIECE : 0) {
    const usize size = left > PIECE ? PIECE : left;
    piece[i] = (volatile unsigned char *)malloc(size);
    if (piece[i])
      for (usize b = 0; b < size; b += 4096) piece[i][b] = 0;
  }
  for (int i = PIECES - 1; i >= 0; i--) free((void *)piece[i]);
  warmed = want;
}
