"""Writes apps/compare/src/__fixtures__/torch-gradient-flow.json: ||dL/dh_t|| for t = 1..T of small PyTorch
LSTM/GRU/RNN models with a Linear head and an MSE loss on the last step, with their weights and inputs, so
gradient-flow.test.ts can check the app's probe against PyTorch autograd.

Run: /usr/bin/python3 tools/compare/gradient-flow-fixture.py   (PyTorch 1.13)
"""
import json
import os

import torch

torch.manual_seed(0)
B, T, I, H = 3, 6, 2, 4
KINDS = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}
cases = []
for kind, cls in KINDS.items():
    rnn = cls(I, H, batch_first=True).double()
    head = torch.nn.Linear(H, 1).double()
    x = torch.rand(B, T, I, dtype=torch.float64)
    y = torch.rand(B, 1, dtype=torch.float64)
    state = None
    hs = []
    for t in range(T):
        out, state = rnn(x[:, t:t + 1], state)
        h = out[:, 0]
        h.retain_grad()
        hs.append(h)
        # Carry the retained h_t as the next step's hidden state so the recurrent path runs through it.
        if kind == "lstm":
            state = (h.unsqueeze(0), state[1])
        else:
            state = h.unsqueeze(0)
    loss = torch.mean((head(hs[-1]) - y) ** 2)
    loss.backward()
    weights = {f"rnn.{k}": v.detach().tolist() for k, v in rnn.state_dict().items()}
    weights.update({f"head.{k}": v.detach().tolist() for k, v in head.state_dict().items()})
    cases.append({"kind": kind, "inputSize": I, "hiddenSize": H, "weights": weights, "x": x.tolist(), "y": y.tolist(),
                  "norms": [float(h.grad.norm()) for h in hs]})

path = os.path.join(os.path.dirname(__file__), "..", "..", "apps", "compare", "src", "__fixtures__", "torch-gradient-flow.json")
with open(path + ".tmp", "w") as f:
    json.dump({"generator": "tools/compare/gradient-flow-fixture.py", "torch": torch.__version__, "cases": cases}, f)
    f.write("\n")
os.replace(path + ".tmp", path)
print(f"wrote {len(cases)} cases to {os.path.normpath(path)}")
