import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '@gated/datasets-speech';
import { importOnnx, readOnnxInfo } from '@gated/onnx';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';

const dir = mkdtempSync(join(tmpdir(), 'gated-commands-'));

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const printed: string[] = [];
  const code = await main(args, (t) => void printed.push(t));
  return { code, out: printed.join('') };
}

describe('gated train / export / features / bench', () => {
  it('train --json reports the metric, and --resume continues from the checkpoint', async () => {
    const ckpt = join(dir, 'ckpt');
    const base = ['train', '--task', 'memory-adding', '--model', 'gru', '--quick', '--backend', 'cpu', '--json', '--checkpoint-dir', ckpt];
    const first = await run([...base, '--steps', '4']);
    expect(first.code).toBe(0);
    const lastLine = (out: string): string => out.trim().split('\n').at(-1)!;
    const a = JSON.parse(lastLine(first.out)) as { step: number; loss: number; metric: { name: string; value: number }; checkpoint: string };
    expect(a.step).toBe(4);
    expect(Number.isFinite(a.loss)).toBe(true);
    expect(a.metric.name).toBe('mse');
    expect(a.checkpoint).toContain(ckpt);
    const resumed = JSON.parse(lastLine((await run([...base, '--steps', '6', '--resume'])).out)) as { step: number; loss: number };
    expect(resumed.step).toBe(6);
    const straight = JSON.parse(lastLine((await run([...base.slice(0, -1), join(dir, 'straight'), '--steps', '6'])).out)) as { loss: number };
    expect(resumed.loss).toBe(straight.loss); // 4 steps + resume to 6 equals 6 straight, to full precision
  });

  // The quick budget's rate is constant, so a run stopped at step k holds exactly the weights the longer run had at k.
  it("train --keep best ends with the best validation checkpoint's weights: the number a run stopped there gets", async () => {
    const base = ['train', '--task', 'timeseries-co2', '--model', 'gru', '--quick', '--backend', 'cpu', '--json', '--seed', '1'];
    const lastLine = (out: string): string => out.trim().split('\n').at(-1)!;
    const best = JSON.parse(lastLine((await run([...base, '--steps', '40', '--keep', 'best'])).out)) as { keep: string; step: number; bestStep: number; metric: { value: number } };
    expect(best.keep).toBe('best');
    expect(best.step).toBe(40);
    // the quick budget scores the validation split twice: after steps 20 and 40
    expect([20, 40]).toContain(best.bestStep);
    const stopped = JSON.parse(lastLine((await run([...base, '--steps', String(best.bestStep), '--keep', 'last'])).out)) as { keep: string; bestStep?: number; metric: { value: number } };
    expect(stopped.keep).toBe('last');
    expect(stopped.bestStep).toBeUndefined();
    expect(best.metric.value).toBeCloseTo(stopped.metric.value, 5);
  });

  it('train --keep: a misspelled choice, a task scored on its test split, or a resume is refused before training', async () => {
    const co2 = ['train', '--task', 'timeseries-co2', '--model', 'gru', '--quick', '--backend', 'cpu', '--json'];
    expect((await run([...co2, '--keep', 'bets'])).code).toBe(2);
    const resumeDir = join(dir, 'keep-resume');
    expect((await run([...co2, '--keep', 'best', '--checkpoint-dir', resumeDir, '--resume'])).code).toBe(2);
    const adding = await run(['train', '--task', 'memory-adding', '--model', 'gru', '--quick', '--backend', 'cpu', '--keep', 'best']);
    expect(adding.code).toBe(2);
  });

  it('export writes an ONNX model with the task recorded', async () => {
    const file = join(dir, 'rnn.onnx');
    const { code, out } = await run(['export', '--task', 'memory-adding', '--model', 'rnn', '--backend', 'cpu', '--out', file]);
    expect(code).toBe(0);
    expect(out).toContain(file);
    const info = readOnnxInfo(new Uint8Array(readFileSync(file)));
    expect(info.preprocessing.task).toBe('memory-adding');
    expect(info.opset).toBe(14);
  });

  it("export initialises an LSTM as the task's grid runs do (the horizon tasks' forget-gate bias 1)", async () => {
    const file = join(dir, 'adding-lstm.onnx');
    const { code } = await run(['export', '--task', 'memory-adding-t50', '--model', 'lstm', '--backend', 'cpu', '--out', file]);
    expect(code).toBe(0);
    const { layer } = importOnnx(new Uint8Array(readFileSync(file)));
    const hidden = layer.config.hiddenSize;
    const dict = layer.torchStateDict();
    // PyTorch's gate order i, f, g, o: the forget quarter is rows [H, 2H) of both biases
    const forget = (name: string): number[] => Array.from(dict[name]!.dataSync().slice(hidden, 2 * hidden));
    expect(forget('bias_ih_l0')).toEqual(new Array(hidden).fill(1));
    expect(forget('bias_hh_l0')).toEqual(new Array(hidden).fill(0));
    layer.dispose();
  });

  it('features turns a WAV file into Kaldi fbank frames (25 ms every 10 ms)', async () => {
    const wav = join(dir, 'tone.wav');
    const samples = Float32Array.from({ length: 8000 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / 8000));
    writeFileSync(wav, encodeWav({ sampleRate: 8000, channelData: [samples] }));
    const json = join(dir, 'tone.json');
    expect((await run(['features', wav, '--type', 'fbank', '--out', json])).code).toBe(0);
    const doc = JSON.parse(readFileSync(json, 'utf8')) as { shape: [number, number]; features: number[][] };
    // snip_edges: 1 + ⌊(8000 − 200) / 80⌋ = 98 frames of 23 mel bins.
    expect(doc.shape).toEqual([98, 23]);
    expect(doc.features).toHaveLength(98);
    const summary = await run(['features', wav]);
    expect(summary.out).toContain('mfcc [98 frames × 13]');
  });

  it('bench --quick prints ratios against the LSTM measured in the same run', async () => {
    const { code, out } = await run(['bench', '--quick', '--backend', 'cpu', '--json']);
    expect(code).toBe(0);
    const rows = (JSON.parse(out) as { rows: { model: string; stepVsLstm: number; trainStepMs: number }[] }).rows;
    expect(rows.map((r) => r.model)).toEqual(['lstm', 'gru', 'rnn']);
    expect(rows[0]!.stepVsLstm).toBe(1);
    for (const r of rows) expect(r.trainStepMs).toBeGreaterThan(0);
  });
});
