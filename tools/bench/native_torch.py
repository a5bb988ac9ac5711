"""PyTorch peer of tools/bench/native.mjs: the same workloads, one thread count per process; prints one JSON line.

Usage: /usr/bin/python3 tools/bench/native_torch.py THREADS REPS STREAM_FRAMES
THREADS is torch.set_num_threads; the driver sets OPENBLAS_NUM_THREADS / OMP_NUM_THREADS for the threading set-up
being measured (tools/bench/lib/torch-blas.mjs, torchSetup).
"""
import json
import os
import statistics
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'lib'))
from torch_blas import blas, timed  # noqa: E402  (shared with the other PyTorch peers)

threads, reps, frames = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(0)
WARMUP = 2


def median_ms(fn, n=reps):
    for _ in range(WARMUP):
        fn()
    return statistics.median(timed(fn) for _ in range(n)) * 1e3


def rnn(kind, I, H):
    return (torch.nn.LSTM if kind == 'lstm' else torch.nn.GRU)(I, H, batch_first=True)


def train_step_ms(kind, B, T, I, H, classes=10):
    layer, head = rnn(kind, I, H), torch.nn.Linear(H, classes)
    opt = torch.optim.Adam(list(layer.parameters()) + list(head.parameters()), lr=1e-3)
    x, y = torch.randn(B, T, I), torch.randint(0, classes, (B,))

    def step():
        opt.zero_grad()
        _, state = layer(x)
        h = state[0] if kind == 'lstm' else state
        loss = torch.nn.functional.cross_entropy(head(h[-1]), y)
        loss.backward()
        opt.step()
        loss.item()

    return median_ms(step)


def inference_ms(kind, B, T, I, H):
    layer, x = rnn(kind, I, H), torch.randn(B, T, I)

    def run():
        with torch.no_grad():
            out, _ = layer(x)
            out.numpy()

    return median_ms(run, reps * 3 if B == 1 else reps)


def stream_us(kind, I, H):
    """Per-frame latency: one frame [1, 1, I] at a time, the state carried."""
    layer = rnn(kind, I, H)
    xs = torch.randn(frames, 1, 1, I)

    def run():
        state = None
        with torch.no_grad():
            for t in range(frames):
                out, state = layer(xs[t], state)
        out.numpy()

    return median_ms(run, max(3, reps // 2)) * 1e3 / frames


results = {'threads': threads, 'torch': torch.__version__, 'blas': blas(), 'ms': {}}
W1, W3, W2 = (32, 50, 32, 128), (64, 100, 64, 256), (1, 200, 32, 256)
for kind in ('lstm', 'gru'):
    results['ms'][f'W1 train {kind}'] = train_step_ms(kind, *W1)
    results['ms'][f'W3 train {kind}'] = train_step_ms(kind, *W3)
    results['ms'][f'W3 inference {kind}'] = inference_ms(kind, *W3)
    results['ms'][f'W2 inference {kind}'] = inference_ms(kind, *W2)
    results['ms'][f'stream {kind} (µs/frame)'] = stream_us(kind, 32, 256)
print(json.dumps(results))
