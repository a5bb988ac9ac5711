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

/* Page faults are dear where the benchmarks run (a paravirtualised VM: ~15 µs per 4 KiB page touched for the first
 * time, against ~0.7 µs a page when the kernel populates a range in one call), so memory this code will write is
 * committed in bulk: MADV_POPULATE_WRITE (Linux 5.14) over the whole range, else one write per page as before. */
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
static void commit_pages(unsigned char *begin, unsigned char *end) {
  const usize page = 4096;
  unsigned char *from = (unsigned char *)(((usize)begin + page - 1) & ~(page - 1));
  if (end <= from) return;
  if (madvise(from, (usize)(end - from), MADV_POPULATE_WRITE) == 0) return;
  for (volatile unsigned char *p = from; p < end; p += page) *p = *p;
}

/* How far this thread's arena is committed: growth past it commits the next stretch in one call, a quarter of what
 * is in use again (at least 4 MiB, in whole 2 MiB steps), so a step's buffers are not paged in one page at a time. */
static __thread usize committed = 0;
int native_heap_ensure(usize end) {
  if (!mine || end > (usize)mine + RESERVED) return 0;
  if (end <= committed) return 1;
  const usize base = (usize)mine, step = (usize)2 << 20;
  if (committed < base) committed = base;
  usize want = end + ((end - base) / 4 > ((usize)4 << 20) ? (end - base) / 4 : ((usize)4 << 20));
  want = (want + step - 1) & ~(step - 1);
  if (want > base + RESERVED) want = base + RESERVED;
  commit_pages((unsigned char *)committed, (unsigned char *)want);
  committed = want;
  return 1;
}

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
 * call on, the heap is committed once (commit_pages) and freed for reuse (pieces below the mmap threshold: into the
 * heap, where the trim threshold keeps them): twenty times the largest result seen so far, at most 128 MiB. For a
 * 6.5 MB result per call, ten times (64 MiB) still let the garbage collector fall behind: runs of three to six calls
 * in thirty each paged a whole result in (1600 faults, +30 ms); twenty times, none in the same sequence of calls.
 * Called on the JavaScript thread with each whole-sequence call's output size; grows only. */
void native_warm_heap(usize resultBytes) {
  enum { PIECE = 16 << 20, PIECES = 8 };
  static usize warmed = 0;
  const usize most = (usize)PIECE * PIECES;
  const usize want = resultBytes >= most / 20 ? most : resultBytes * 20;
  if (!tuned || want <= warmed) return;
  volatile unsigned char *piece[PIECES] = {0};
  usize left = want;
  for (int i = 0; i < PIECES && left > 0; i++, left = left > PIECE ? left - PIECE : 0) {
    const usize size = left > PIECE ? PIECE : left;
    piece[i] = (volatile unsigned char *)malloc(size);
    if (piece[i]) commit_pages((unsigned char *)piece[i], (unsigned char *)piece[i] + size);
  }
  for (int i = PIECES - 1; i >= 0; i--) free((void *)piece[i]);
  warmed = want;
}
