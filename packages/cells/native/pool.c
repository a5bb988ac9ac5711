/*
 * A small fork-join thread pool: pool_threads() − 1 workers plus the calling thread. A job is n units of work with
 * fixed boundaries (fn(ctx, unit, n) for unit 0 .. n−1), published by bumping a generation counter; workers spin
 * briefly (steps of a recurrence come back within microseconds) and then sleep on a futex. Every thread, the caller
 * included, claims units from a shared counter until none are left, so what each unit computes does not depend on
 * which thread runs it (a fixed thread count gives fixed results) — and a worker that does not get a core (a loaded
 * machine) never holds the caller up: the caller runs the units nobody claimed and waits only for units under way.
 */
#define _GNU_SOURCE
#include "native.h"

#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_THREADS POOL_MAX_THREADS
#define SPINS 2000

static int threads = 0; /* 0: not started */
static pthread_t tids[MAX_THREADS];
static _Atomic unsigned generation = 0;
/* the generation whose job may still be entered (0: none): the caller closes it when every unit is claimed */
static _Atomic unsigned open_generation = 0;
/* workers inside a job: the caller returns once it has closed the job and this is 0 */
static _Atomic int entered = 0;
static _Atomic int next_unit = 0;
static _Atomic int stopping = 0;
static _Atomic int sleepers = 0;
static pool_fn job_fn;
static void *job_ctx;
static int job_units;
static unsigned start_generation;
static __thread float *scratch;
static __thread usize scratch_bytes;
/* set while this thread runs a pool job: a nested pool_run runs inline */
static __thread int in_job;

static void futex_wait(_Atomic unsigned *addr, unsigned value) {
  syscall(SYS_futex, (unsigned *)addr, FUTEX_WAIT_PRIVATE, value, NULL, NULL, 0);
}
static void futex_wake_all(_Atomic unsigned *addr) {
  syscall(SYS_futex, (unsigned *)addr, FUTEX_WAKE_PRIVATE, MAX_THREADS, NULL, NULL, 0);
}
static inline void cpu_relax(void) { __builtin_ia32_pause(); }

/* Runs units of the current job until none are left. */
static void claim_units(void) {
  in_job = 1;
  for (int u; (u = atomic_fetch_add(&next_unit, 1)) < job_units;) job_fn(job_ctx, u, job_units);
  in_job = 0;
}

static void *worker_main(void *arg) {
  const int id = (int)(long)arg;
  native_bind_worker(id);
  /* the generation when the pool was started, not when this thread got going: a job may already be waiting */
  unsigned seen = start_generation;
  for (;;) {
    unsigned now;
    int spins = 0;
    while ((now = atomic_load_explicit(&generation, memory_order_acquire)) == seen) {
      if (++spins < SPINS) cpu_relax();
      else {
        atomic_fetch_add(&sleepers, 1);
        futex_wait(&generation, seen);
        atomic_fetch_sub(&sleepers, 1);
      }
    }
    seen = now;
    if (atomic_load(&stopping)) {
      /* the scratch buffer is this thread's: freed with it (the address range stays with the index) */
      free(scratch);
      scratch = 0;
      scratch_bytes = 0;
      return 0;
    }
    /* entered before looking whether the job is still open (both sequentially consistent): the caller, closing it,
     * then either sees this worker inside and waits, or this worker sees it closed and keeps off the job's state */
    atomic_fetch_add(&entered, 1);
    if (atomic_load(&open_generation) == now) claim_units();
    atomic_fetch_sub(&entered, 1);
  }
}

static int default_threads(void) {
  const char *env = getenv("GATED_NUM_THREADS");
  if (env && *env) {
    int n = atoi(env);
    if (n >= 1) return n > MAX_THREADS ? MAX_THREADS : n;
  }
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n >= 1) return n > MAX_THREADS ? MAX_THREADS : n;
  }
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

static void stop_workers(void) {
  if (threads <= 1) return;
  atomic_store(&stopping, 1);
  atomic_fetch_add_explicit(&generation, 1, memory_order_release);
  futex_wake_all(&generation);
  for (int i = 1; i < threads; i++) pthread_join(tids[i], NULL);
  atomic_store(&stopping, 0);
}

void pool_set_threads(int n) {
  if (n < 1) n = 1;
  if (n > MAX_THREADS) n = MAX_THREADS;
  if (n == threads) return;
  stop_workers();
  threads = n;
  start_generation = atomic_load(&generation);
  for (int i = 1; i < n; i++) pthread_create(&tids[i], NULL, worker_main, (void *)(long)i);
}

int pool_threads(void) {
  if (threads == 0) pool_set_threads(default_threads());
  return threads;
}

void pool_run(int want, pool_fn fn, void *ctx) {
  const int total = pool_threads();
  int n = want < 1 ? 1 : want > total ? total : want;
  if (n == 1 || total == 1 || in_job) {
    fn(ctx, 0, 1);
    return;
  }
  /* no worker is inside a job here (the previous call waited for them), so the job's state is free to set */
  job_fn = fn;
  job_ctx = ctx;
  job_units = n;
  atomic_store(&next_unit, 0);
  unsigned g = atomic_load(&generation) + 1;
  if (g == 0) g = 1; /* 0 means "no job open" */
  atomic_store(&open_generation, g);
  atomic_store(&generation, g);
  /* a worker that registers as a sleeper after this check finds the generation changed and does not sleep */
  if (atomic_load(&sleepers) > 0) futex_wake_all(&generation);
  claim_units();
  atomic_store(&open_generation, 0);
  int spins = 0;
  while (atomic_load(&entered) != 0) {
    if (++spins < SPINS) cpu_relax();
    else sched_yield();
  }
}

float *pool_scratch(int worker, usize bytes) {
  (void)worker; /* per thread, not per worker index: nested jobs run inline on their caller */
  if (scratch_bytes < bytes) {
    free(scratch);
    usize size = (bytes + 63) & ~(usize)63;
    scratch = (float *)aligned_alloc(64, size);
    scratch_bytes = scratch ? size : 0;
  }
  return scratch;
}
