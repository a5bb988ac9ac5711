/*
 * The native stand-in for wasm linear memory: one 4 GiB address range reserved up front (pages are committed only
 * when touched), shared with JavaScript as an external ArrayBuffer. The kernels' bump arena (kernels/arena.c)
 * allocates inside it, and JavaScript addresses buffers by byte offset, exactly as it does wasm memory — so the
 * TypeScript bridge and the kernel sources are the same for both.
 */
#define _GNU_SOURCE
#include "native.h"

#include <sys/mman.h>

#define RESERVED ((usize)1 << 32)
/* offset 0 means "absent" to the kernels, so the heap starts a little above the range's base */
#define HEAP_OFFSET 64

/* the shared range (JavaScript's thread) and this thread's own: pool workers get a private range for their arena */
static unsigned char *shared = 0;
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

unsigned char *native_heap_base(void) {
  if (!mine) mine = reserve();
  return mine + HEAP_OFFSET;
}

int native_heap_ensure(usize end) { return mine && end <= (usize)mine + RESERVED; }
