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

static unsigned char *base = 0;

unsigned char *native_memory(usize *bytes) {
  if (!base) {
    void *p = mmap(0, RESERVED, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return 0;
    base = (unsigned char *)p;
  }
  if (bytes) *bytes = RESERVED;
  return base;
}

unsigned char *native_heap_base(void) { return native_memory(0) + HEAP_OFFSET; }

int native_heap_ensure(usize end) { return end <= (usize)base + RESERVED; }
