#!/usr/bin/env node
// Loads a model saved by tools/g2p/run.mjs and shows what it does on test words it never saw: predictions
// (greedy and beam 5) beside the dictionary, attention heatmaps (graphemes × phonemes, as shaded text), and
// optionally exports it for `gated g2p --model`.
// Usage: node tools/g2p/inspect.mjs results/g2p-default-att/lstm-attention-seed0.safetensors [--words 12]
//        [--heatmaps 3] [--onnx results/g2p.onnx] [--extra word,word]
// Needs the packages built (npm run build).
import { parseArgs } from 'node:util';
import { initBackend, readSafetensorsFile, toTfTensors } from '@gated/tensor';
import { Seq2Seq, beamSearch, greedyDecode, exportSeq2SeqOnnxFiles } from '@gated/seq2seq';
import { loadG2PData } from '../../apps/compare/dist/tasks/text-g2p.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { words: { type: 'string', default: '12' }, heatmaps: { type: 'string', default: '3' }, onnx: { type: 'string' }, extra: { type: 'string' } },
});
const file = positionals[0];
if (!file) throw new Error('usage: inspect.mjs MODEL.safetensors [--words N] [--heatmaps N] [--onnx FILE]');
await initBackend({ backend: 'wasm' });
const { tensors, metadata } = await readSafetensorsFile(file);
const config = JSON.parse(metadata.config);
const model = new Seq2Seq(config);
const weights = toTfTensors(tensors);
model.loadStateDict(weights);
for (const t of Object.values(weights)) t.dispose();
const data = await loadG2PData();
const v = data.vocabulary;
const entries = data.test.slice(0, Number(values.words));
const words = [...entries.map((e) => e.word), ...(values.extra ? values.extra.split(',') : [])];
const sources = words.map((w) => v.encodeWord(w));
const greedy = greedyDecode(model, sources, { maxLength: 30 });
const beams = beamSearch(model, sources, { beamWidth: 5, maxLength: 30 });
console.log('| word | dictionary | greedy | beam 5 |');
console.log('| --- | --- | --- | --- |');
words.forEach((w, i) => {
  const dict = entries[i] ? entries[i].pronunciations.map((p) => p.join(' ')).join(' / ') : '(not in CMUdict)';
  console.log(`| ${w} | ${dict} | ${v.decodePhonemes(greedy[i].tokens).join(' ')} | ${v.decodePhonemes(beams[i].best.tokens).join(' ')} |`);
});
const SHADES = ' ░▒▓█';
for (let i = 0; i < Math.min(Number(values.heatmaps), words.length); i++) {
  const h = greedy[i];
  const phonemes = [...v.decodePhonemes(h.tokens), ...(h.finished ? ['</s>'] : [])];
  console.log(`\nattention of "${words[i]}" (rows: output phonemes, columns: letters; █ ≥ 0.8, ▓ ≥ 0.6, ▒ ≥ 0.4, ░ ≥ 0.2)`);
  console.log(`      ${[...words[i]].join(' ')}`);
  h.attention.forEach((row, t) => {
    console.log(`${phonemes[t].padEnd(5)} ${row.map((a) => SHADES[Math.min(4, Math.floor(a * 5))]).join(' ')}`);
  });
}
if (values.onnx) {
  const files = await exportSeq2SeqOnnxFiles(model, values.onnx, { description: { task: 'text-g2p', graphemes: v.graphemes, phonemes: v.phonemes } });
  console.log(`\nwrote ${files.encoder} and ${files.decoderStep}`);
}
model.dispose();
