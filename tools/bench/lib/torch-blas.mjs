// What the drivers of the PyTorch-peer benchmarks share: the environment that pins every runtime to N threads,
// and the check that PyTorch runs on an optimised BLAS (the Python side is tools/bench/lib/torch_blas.py).
import { spawnSync } from 'node:child_process';

/** The Python that has Debian's python3-torch. */
export const PYTHON = '/usr/bin/python3';

/** True when `PYTHON` can import torch. */
export const torchAvailable = () => spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;

/** Environment pinning gated's native pool, OpenBLAS, OpenMP and MKL to `n` threads. */
export const threadEnv = (n) => ({ GATED_NUM_THREADS: String(n), OPENBLAS_NUM_THREADS: String(n), OMP_NUM_THREADS: String(n), MKL_NUM_THREADS: String(n) });

const OPTIMISED = /openblas|mkl|blis/i;

/**
 * The optimised BLAS library a PyTorch peer's `blas` report (torch_blas.py's `blas()`) shows mapped, or null — the
 * reference BLAS (…/blas/libblas.so.3) or none: then no ratio against that peer may be printed.
 */
export const optimisedBlas = (report) => report?.libraries?.find((l) => OPTIMISED.test(l)) ?? null;

/** One line saying which BLAS a peer found. */
export const describeBlas = (report) =>
  report ? `${report.config} → ${report.libraries.join(', ') || 'none found'} (mm 1024³ ${report.sgemm1024GflopS.toFixed(1)} GFLOP/s)` : '—';
