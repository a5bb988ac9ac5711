"""The encoder–decoder of @gated/seq2seq in PyTorch, for tools/bench/e2e_torch.py (loss 'seq2seq': the text-g2p tasks).

The same model as packages/seq2seq/src (seq2seq.ts, encoder.ts, decoder.ts, luong-attention.ts, attention-read.ts),
with its parameter names as state_dict keys, for decoders without input feeding (the tasks' shape):
- encoder: Embedding → LSTM/GRU (hiddenSize / 2 per direction when bidirectional, numLayers), packed by the source
  lengths, so each reverse direction starts at its row's last letter and outputs are 0 past it;
- the decoder starts from each layer's final encoder state, forward and backward halves concatenated;
- decoder: Embedding of [BOS, y_1 … y_n] → LSTM/GRU (hiddenSize, numLayers) over all target steps in one call
  (without input feeding its recurrence does not read the attention), then per step
  general attention (Luong et al. 2015): e_s = h_tᵀ W_a k_s over the encoder outputs, padded letters masked (−inf),
  α = softmax(e), c_t = Σ_s α_s k_s, h̃_t = tanh(W_c [c_t; h_t]), logits = W_o h̃_t + b_o;
  no attention: logits = W_o h_t + b_o;
- loss: teacher-forced cross-entropy averaged over every target token and the final EOS (padding, id 0, ignored).
GRU in PyTorch's convention, which gated's cells follow.
"""
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

CELLS = {'lstm': nn.LSTM, 'gru': nn.GRU}
BOS, EOS = 1, 2


class Encoder(nn.Module):
    def __init__(self, o, kind):
        super().__init__()
        self.embedding = nn.Embedding(o['sourceVocabSize'], o['embeddingDim'])
        size = o['hiddenSize'] // 2 if o['bidirectional'] else o['hiddenSize']
        self.rnn = CELLS[kind](o['embeddingDim'], size, num_layers=o['numLayers'], bidirectional=o['bidirectional'], batch_first=True)


class GeneralAttention(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.linear = nn.Linear(size, size, bias=False)  # W_a, gated's `attention.linear.weight`


class Decoder(nn.Module):
    def __init__(self, o, kind):
        super().__init__()
        H = o['hiddenSize']
        self.embedding = nn.Embedding(o['targetVocabSize'], o['embeddingDim'])
        # time-major; its weight_ih_l0 … are gated's decoder cells' `rnn.weight_ih_l0` …
        self.rnn = CELLS[kind](o['embeddingDim'], H, num_layers=o['numLayers'])
        if o['attention'] == 'general':
            self.attention = GeneralAttention(H)
            self.combine = nn.Linear(2 * H, H, bias=False)
        else:
            self.attention = None
        self.out = nn.Linear(H, o['targetVocabSize'])


class Seq2Seq(nn.Module):
    def __init__(self, o, kind):
        super().__init__()
        if o['inputFeeding']:
            raise SystemExit('input feeding: this peer runs the decoder recurrence as one sequence')
        if o['attention'] not in ('general', 'none'):
            raise SystemExit(f"attention {o['attention']!r}: this peer runs 'general' and 'none'")
        self.o, self.kind = o, kind
        self.encoder = Encoder(o, kind)
        self.decoder = Decoder(o, kind)

    def loss(self, batch):
        source, lengths, inputs, outputs = batch
        B, S = source.shape
        L, dirs = self.o['numLayers'], 2 if self.o['bidirectional'] else 1
        packed = pack_padded_sequence(self.encoder.embedding(source), lengths, batch_first=True, enforce_sorted=False)
        out, final = self.encoder.rnn(packed)
        keys = pad_packed_sequence(out, batch_first=True, total_length=S)[0]  # [B, S, H], 0 past each length

        def join(t):  # [L·dirs, B, H/dirs] → [L, B, H]: each layer's directions concatenated
            return t.view(L, dirs, B, -1).permute(0, 2, 1, 3).reshape(L, B, -1)
        state = (join(final[0]), join(final[1])) if self.kind == 'lstm' else join(final)
        h = self.decoder.rnn(self.decoder.embedding(inputs), state)[0]  # [T, B, H]
        T, V = inputs.shape[0], self.o['targetVocabSize']
        if self.decoder.attention is None:
            logits = self.decoder.out(h)
        else:
            q = h.transpose(0, 1)  # [B, T, H]
            scores = torch.bmm(q, self.decoder.attention.linear(keys).transpose(1, 2))  # e_ts = q_tᵀ W_a k_s, [B, T, S]
            padding = torch.arange(S)[None, :] >= lengths[:, None]
            weights = torch.softmax(scores.masked_fill(padding[:, None, :], float('-inf')), dim=2)
            context = torch.bmm(weights, keys)
            logits = self.decoder.out(torch.tanh(self.decoder.combine(torch.cat([context, q], 2)))).transpose(0, 1)
        return nn.functional.cross_entropy(logits.reshape(T * B, V), outputs.reshape(-1), ignore_index=0)


def seq2seq_batch(b, tensor):
    """(source [B, S], source lengths [B], decoder inputs [T, B] = BOS then the target, outputs [T, B] = the
    target then EOS, 0 past it) from an exported batch: padded letter and phoneme ids with their lengths."""
    source, lengths, target, target_lengths = tensor(b['source']), tensor(b['lengths']), tensor(b['target']), tensor(b['targetLengths'])
    B = source.shape[0]
    T = int(target_lengths.max()) + 1
    inputs = torch.zeros(T, B, dtype=torch.int64)
    outputs = torch.zeros(T, B, dtype=torch.int64)
    for r in range(B):
        n = int(target_lengths[r])
        inputs[0, r] = BOS
        inputs[1:n + 1, r] = target[r, :n]
        outputs[:n, r] = target[r, :n]
        outputs[n, r] = EOS
    return source, lengths, inputs, outputs
