"""PyTorch peer of tools/bench/e2e.mjs: a default-suite task's model trained on the batches `gated train` trains on.

Usage: /usr/bin/python3 tools/bench/e2e_torch.py DATA_DIR KIND TORCH_THREADS OUT_WEIGHTS
(OPENBLAS_NUM_THREADS / OMP_NUM_THREADS set by the driver: the threading configuration under test.)
DATA_DIR is what `e2e.mjs --export-worker` wrote for one task: manifest.json (the model, loss, optimizer and, per
step, where its x, y and lengths lie in batches.bin), batches.bin, init-KIND.bin (gated's initial weights, float32,
PyTorch names and layouts, offsets in the manifest).
Model: the encoder–decoder of @gated/seq2seq for loss 'seq2seq' (the text-g2p tasks: tools/bench/e2e_torch_seq2seq.py);
otherwise [Embedding] → LSTM/GRU/RNN(tanh) (batch_first; bidirectional over packed lengths for speech-ctc) → pooling
('last' = the output at each sequence's last valid step, 'none' = every step) → Linear head. Loss: mean softmax
cross-entropy, mean squared error, or CTC (torch.nn.functional.ctc_loss on the log-softmax, 'mean' reduction,
zero_infinity, blank 0: what the speech-ctc task trains with).
clip_grad_norm_(clipNorm), torch.optim.Adam with fit's learning rate of each step (the budget's schedule), the loss read every step (as `gated train` does). Writes the
final weights (same layout as init) to OUT_WEIGHTS for gated to score with the task's own evaluation, and prints
one JSON line: wall time of the training loop, final loss, the loss of every step, the BLAS found.
"""
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'lib'))
from torch_blas import blas  # noqa: E402  (shared with the other PyTorch peers)

data_dir, kind, threads, out_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
torch.set_num_threads(threads)
m = json.load(open(os.path.join(data_dir, 'manifest.json')))
spec = m['model']
CELLS = {'lstm': torch.nn.LSTM, 'gru': torch.nn.GRU, 'rnn': torch.nn.RNN}
seq2seq = m['loss'] == 'seq2seq'
if not seq2seq and spec['pooling'] not in ('last', 'none'):
    raise SystemExit(f"pooling {spec['pooling']!r}: this peer runs 'last' and 'none'")


class Model(torch.nn.Module):
    """Attributes named like @gated/cells' SequenceModel, so the state_dict keys are its parameter names."""

    def __init__(self):
        super().__init__()
        tokens = spec['input']['kind'] == 'tokens'
        self.embedding = torch.nn.Embedding(spec['input']['vocabSize'], spec['input']['embeddingDim']) if tokens else None
        size = spec['input']['embeddingDim'] if tokens else spec['input']['inputSize']
        directions = 2 if spec.get('bidirectional') else 1
        self.rnn = CELLS[kind](size, spec['hiddenSize'], batch_first=True, bidirectional=directions == 2)
        self.head = torch.nn.Linear(directions * spec['hiddenSize'], spec['outputSize'])

    def forward(self, x, lengths):
        h = self.embedding(x) if self.embedding is not None else x
        if spec.get('bidirectional') and lengths is not None:
            # The reverse direction starts at each sequence's last valid step (packed, as gated's lengths); 0 past it.
            packed = torch.nn.utils.rnn.pack_padded_sequence(h, lengths, batch_first=True, enforce_sorted=False)
            out = torch.nn.utils.rnn.pad_packed_sequence(self.rnn(packed)[0], batch_first=True, total_length=h.shape[1])[0]
            return self.head(out)
        if spec['pooling'] == 'none':
            return self.head(self.rnn(h)[0])
        if lengths is not None:
            # The output at each sequence's last valid step: with right padding that is h_n of the sequence alone
            # (the recurrence is causal), and faster on the CPU than pack_padded_sequence.
            out = self.rnn(h)[0]
            return self.head(out[torch.arange(out.shape[0]), lengths - 1])
        state = self.rnn(h)[1]
        top = (state[0] if kind == 'lstm' else state)[-1]
        return self.head(top)


if seq2seq:
    from e2e_torch_seq2seq import Seq2Seq, seq2seq_batch  # noqa: E402  (beside this file)
    model = Seq2Seq(spec, kind)
else:
    model = Model()
weights = np.fromfile(os.path.join(data_dir, f'init-{kind}.bin'), dtype=np.float32)
state = model.state_dict()
layout = m['init'][kind]
for name, s in layout.items():
    values = weights[s['offset']:s['offset'] + int(np.prod(s['shape']))].reshape(s['shape'])
    assert list(state[name].shape) == s['shape'], (name, state[name].shape, s['shape'])
    state[name] = torch.from_numpy(values.copy())
missing = set(model.state_dict()) - set(layout)
assert not missing, f'no initial values for {missing}'
model.load_state_dict(state)

raw = np.fromfile(os.path.join(data_dir, 'batches.bin'), dtype=np.uint8)
DTYPES = {'int32': np.int32, 'float32': np.float32}


def tensor(part):
    a = raw[part['offset']:part['offset'] + part['bytes']].view(DTYPES[part['dtype']]).reshape(part['shape'])
    return torch.from_numpy(a.astype(np.int64) if part['dtype'] == 'int32' else a.copy())


# Every batch as tensors before the clock starts (gated's time includes drawing its batches: that favours PyTorch).
ctc = m['loss'] == 'ctc'
if seq2seq:
    batches = [seq2seq_batch(b, tensor) for b in m['batches']]
elif ctc:
    # (x, (targets, target lengths), frame lengths): targets are classes, 0 the blank
    batches = [(tensor(b['x']), (tensor(b['targets']), tensor(b['targetLengths'])), tensor(b['lengths'])) for b in m['batches']]
else:
    batches = [(tensor(b['x']), tensor(b['y']), tensor(b['lengths']) if 'lengths' in b else None) for b in m['batches']]
optimizer = torch.optim.Adam(model.parameters(), lr=m['learningRate'])
cross_entropy = m['loss'] == 'crossEntropy'

model.train()


def step_loss(batch):
    if seq2seq:
        return model.loss(batch)
    x, y, lengths = batch
    out = model(x, lengths)
    if ctc:
        log_probs = torch.nn.functional.log_softmax(out, dim=-1).transpose(0, 1)  # [T, B, C]
        return torch.nn.functional.ctc_loss(log_probs, y[0], lengths, y[1], blank=0, reduction='mean', zero_infinity=True)
    if cross_entropy:
        return torch.nn.functional.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))
    return torch.nn.functional.mse_loss(out, y.reshape(out.shape).float())


losses = []
started = time.perf_counter()
learning_rates = m['learningRates']
for step, batch in enumerate(batches):
    for group in optimizer.param_groups:
        group['lr'] = learning_rates[step]
    optimizer.zero_grad()
    loss = step_loss(batch)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), m['clipNorm'])
    optimizer.step()
    losses.append(loss.item())
train_ms = (time.perf_counter() - started) * 1e3

final = model.state_dict()
flat = np.zeros(weights.shape, dtype=np.float32)
for name, s in layout.items():
    flat[s['offset']:s['offset'] + int(np.prod(s['shape']))] = final[name].detach().numpy().reshape(-1)
flat.tofile(out_path)
print(json.dumps({'kind': kind, 'threads': threads, 'torch': torch.__version__, 'blas': blas(), 'trainMs': train_ms, 'loss': losses[-1] if losses else float('nan'), 'losses': losses, 'steps': len(batches)}))
