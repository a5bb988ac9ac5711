"""PyTorch peer of tools/bench/text-lm-e2e.mjs: the text-lm model trained on the batches gated trains on.

Usage: OPENBLAS_NUM_THREADS=N OMP_NUM_THREADS=N /usr/bin/python3 tools/bench/text_lm_torch.py DATA_DIR KIND THREADS
DATA_DIR is what `text-lm-e2e.mjs --export` wrote: manifest.json, batches.bin (int32 [steps, 2, B, T]: x then y of
every step, in the order `gated train` draws them), test.bin (int32 [2, windows, T]: every held-out window),
init-KIND.bin (gated's initial weights, float32, PyTorch names and layouts, offsets in the manifest).
Trains embedding → LSTM/GRU → Linear head with mean softmax cross-entropy, clip_grad_norm_(clipNorm) and
torch.optim.Adam(lr), reading the loss every step, then prints one JSON line: wall time of the training loop,
final loss, held-out bits per character, the BLAS found.
"""
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'lib'))
from torch_blas import blas  # noqa: E402  (shared with the other PyTorch peers)

data_dir, kind, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
torch.set_num_threads(threads)
m = json.load(open(os.path.join(data_dir, 'manifest.json')))
B, T, steps, V = m['batchSize'], m['seqLen'], m['steps'], m['vocabSize']


class TextLM(torch.nn.Module):
    """Attributes named like @gated/cells' SequenceModel, so the state_dict keys are its parameter names."""

    def __init__(self):
        super().__init__()
        self.embedding = torch.nn.Embedding(V, m['embeddingDim'])
        self.rnn = (torch.nn.LSTM if kind == 'lstm' else torch.nn.GRU)(m['embeddingDim'], m['hiddenSize'], batch_first=True)
        self.head = torch.nn.Linear(m['hiddenSize'], V)

    def forward(self, x):
        return self.head(self.rnn(self.embedding(x))[0])


model = TextLM()
weights = np.fromfile(os.path.join(data_dir, f'init-{kind}.bin'), dtype=np.float32)
state = model.state_dict()
for name, spec in m['init'][kind].items():
    values = weights[spec['offset']:spec['offset'] + int(np.prod(spec['shape']))].reshape(spec['shape'])
    assert list(state[name].shape) == spec['shape'], (name, state[name].shape, spec['shape'])
    state[name] = torch.from_numpy(values.copy())
missing = set(model.state_dict()) - set(m['init'][kind])
assert not missing, f'no initial values for {missing}'
model.load_state_dict(state)

batches = torch.from_numpy(np.fromfile(os.path.join(data_dir, 'batches.bin'), dtype=np.int32).reshape(steps, 2, B, T).astype(np.int64))
test = torch.from_numpy(np.fromfile(os.path.join(data_dir, 'test.bin'), dtype=np.int32).reshape(2, -1, T).astype(np.int64))
optimizer = torch.optim.Adam(model.parameters(), lr=m['learningRate'])
ce = torch.nn.functional.cross_entropy

model.train()
loss_value = float('nan')
started = time.perf_counter()
for step in range(steps):
    x, y = batches[step, 0], batches[step, 1]
    optimizer.zero_grad()
    loss = ce(model(x).reshape(-1, V), y.reshape(-1))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), m['clipNorm'])
    optimizer.step()
    loss_value = loss.item()
train_ms = (time.perf_counter() - started) * 1e3

model.eval()
bits = 0.0
with torch.no_grad():
    for start in range(0, test.shape[1], 64):
        x, y = test[0, start:start + 64], test[1, start:start + 64]
        bits += ce(model(x).reshape(-1, V), y.reshape(-1), reduction='sum').item() / math.log(2)
bpc = bits / (test.shape[1] * T)
print(json.dumps({'kind': kind, 'threads': threads, 'torch': torch.__version__, 'blas': blas(), 'trainMs': train_ms, 'loss': loss_value, 'bpc': bpc}))
