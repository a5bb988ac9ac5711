"""Writes apps/compare/src/__fixtures__/torch-param-counts.json: parameter counts of torch.nn.LSTM/GRU/RNN
models (Embedding or float input, recurrent stack, Linear head) that sizing.test.ts checks the formulas against.

Run: /usr/bin/python3 tools/compare/param-counts-fixture.py   (PyTorch 1.13)
"""
import json
import os

import torch

KINDS = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}
CASES = []
for kind in KINDS:
    for input_size, hidden, layers, bidir, bias in [
        (1, 1, 1, False, True),
        (2, 64, 1, False, True),
        (13, 96, 1, False, True),
        (39, 128, 2, False, True),
        (7, 33, 3, True, True),
        (5, 20, 2, True, False),
    ]:
        CASES.append({"kind": kind, "inputSize": input_size, "hiddenSize": hidden, "numLayers": layers,
                      "bidirectional": bidir, "bias": bias, "outputSize": 10})
    CASES.append({"kind": kind, "vocabSize": 98, "embeddingDim": 32, "hiddenSize": 128, "numLayers": 1,
                  "bidirectional": False, "bias": True, "outputSize": 98})
    CASES.append({"kind": kind, "inputSize": 4, "hiddenSize": 50, "numLayers": 1, "bidirectional": False,
                  "bias": True, "outputSize": 0})
for proj, layers, bidir in [(16, 1, False), (8, 2, True)]:
    CASES.append({"kind": "lstm", "inputSize": 12, "hiddenSize": 40, "numLayers": layers, "bidirectional": bidir,
                  "bias": True, "projSize": proj, "outputSize": 3})

out = []
for case in CASES:
    kwargs = {"num_layers": case["numLayers"], "bidirectional": case["bidirectional"], "bias": case["bias"],
              "batch_first": True}
    if case.get("projSize"):
        kwargs["proj_size"] = case["projSize"]
    embedded = "vocabSize" in case
    in_size = case["embeddingDim"] if embedded else case["inputSize"]
    modules = []
    if embedded:
        modules.append(torch.nn.Embedding(case["vocabSize"], case["embeddingDim"]))
    rnn = KINDS[case["kind"]](in_size, case["hiddenSize"], **kwargs)
    modules.append(rnn)
    features = (case.get("projSize") or case["hiddenSize"]) * (2 if case["bidirectional"] else 1)
    if case["outputSize"] > 0:
        modules.append(torch.nn.Linear(features, case["outputSize"], bias=case["bias"]))
    total = sum(p.numel() for m in modules for p in m.parameters())
    recurrent = sum(p.numel() for p in rnn.parameters())
    out.append({**case, "torchParams": total, "torchRecurrentParams": recurrent})

path = os.path.join(os.path.dirname(__file__), "..", "..", "apps", "compare", "src", "__fixtures__", "torch-param-counts.json")
with open(path + ".tmp", "w") as f:
    json.dump({"generator": "tools/compare/param-counts-fixture.py", "torch": torch.__version__, "cases": out}, f, indent=1)
    f.write("\n")
os.replace(path + ".tmp", path)
print(f"wrote {len(out)} cases to {os.path.normpath(path)}")
