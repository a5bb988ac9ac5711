// What the drivers of the PyTorch-peer benchmarks share: the environment that pins every runtime to N threads,
// and the check that PyTorch runs on an optimised BLAS (the Python side is tools/bench/lib/torch_blas.py).
import { spawnSync } from 'node:child_process';

/** The Python that has Debian's python3-torch. */
export const PYTHON = '/usr/bin/python3';

/** True when `PYTHON` can import torch. */
export const torchAvailable = () => spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;

/** Environment pinning gated's native pool, OpenBLAS, OpenMP and MKL to `n` threads. */
export const threadEnv = (n) => ({ GATED_NUM_THREADS: String(n), OPENBLAS_NUM_THREADS: String(n), OMP_NUM_THREADS: String(n), MKL_NUM_THREADS: String(n) });

/**
 * PyTorch's ways of using n > 1 threads: its own OpenMP threads with a single-threaded OpenBLAS (`omp`), one torch
 * thread over a multi-threaded OpenBLAS (`blas`), or both at n — which oversubscribes the cores (`both`). A fair peer
 * is the fastest of the ones measured.
 */
export const TORCH_THREADING = {
  omp: 'torch.set_num_threads(n), OPENBLAS_NUM_THREADS=1',
  blas: 'torch.set_num_threads(1), OPENBLAS_NUM_THREADS=n',
  both: 'torch.set_num_threads(n), OPENBLAS_NUM_THREADS=n',
};

/** Reads a `--torch-threading` list (`omp,blas`); throws naming an entry that is not one of TORCH_THREADING's. */
export function torchThreadingList(text) {
  const list = text.split(',');
  for (const c of list) if (!(c in TORCH_THREADING)) throw new Error(`--torch-threading: ${c} is not ${Object.keys(TORCH_THREADING).join(', ')}`);
  return list;
}

/** The environment of a PyTorch run at `n` threads in configuration `how`, and the torch.set_num_threads value. */
export function torchSetup(n, how) {
  const base = threadEnv(n);
  if (n === 1 || how === 'both') return { env: base, torchThreads: n };
  if (how === 'omp') return { env: { ...base, OPENBLAS_NUM_THREADS: '1' }, torchThreads: n };
  return { env: { ...base, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' }, torchThreads: 1 };
}

const OPTIMISED = /openblas|mkl|blis/i;

/**
 * The optimised BLAS library a PyTorch peer's `blas` report (torch_blas.py's `blas()`) shows mapped, or null — the
 * reference BLAS (…/blas/libblas.so.3) or none: then no ratio against that peer may be printed.
 */
export const optimisedBlas = (report) => report?.libraries?.find((l) => OPTIMISED.test(l)) ?? null;

/** One line saying which BLAS a peer found. */
export const describeBlas = (report) =>
  report ? `${report.config} → ${report.libraries.join(', ') || 'none found'} (mm 1024³ ${report.sgemm1024GflopS.toFixed(1)} GFLOP/s)` : '—';
