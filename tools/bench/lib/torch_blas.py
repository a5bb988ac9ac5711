"""What the PyTorch peers of the benchmarks share: which BLAS library is really loaded, and its sgemm rate.

Debian's torch reports BLAS_INFO=generic whatever library the dynamic loader picked, so the answer is read from
the libraries this process mapped (/proc/self/maps). The drivers (tools/bench/lib/torch-blas.mjs) refuse to print a
ratio against the reference BLAS.
"""
import re
import time

import torch


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def blas():
    """{config, libraries, sgemm1024GflopS}: torch's own claim, the BLAS libraries mapped, the best of 5 mm 1024³."""
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    torch.mm(a, b)
    libs = sorted({line.split()[-1] for line in open('/proc/self/maps') if 'blas' in line.lower() and '/' in line})
    best = min(timed(lambda: torch.mm(a, b)) for _ in range(5))
    info = re.search(r'BLAS_INFO=([^,\s]+)', torch.__config__.show())
    return {'config': f'BLAS_INFO={info.group(1)}' if info else 'unknown', 'libraries': libs, 'sgemm1024GflopS': 2 * 1024 ** 3 / best / 1e9}
