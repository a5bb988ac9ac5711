#!/usr/bin/env node
// Trains and scores the text-g2p comparison (LSTM vs GRU encoder–decoders, with and without attention) on
// CMUdict and writes results/<name>.json plus each trained model's weights (.safetensors).
// Usage: node tools/g2p/run.mjs --budget default|quick|paper [--models lstm-attention,gru-plain] [--seeds 0,1]
//        [--steps N] [--out results/g2p-default]
// Needs the packages built (npm run build).
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { initBackend, writeFileAtomic, writeSafetensorsFile, fromTfTensors } from '@gated/tensor';
import { G2P_BUDGETS, G2P_MODELS, g2pTable, runTextG2P } from '../../apps/compare/dist/tasks/text-g2p.js';

const { values } = parseArgs({
  options: { budget: { type: 'string', default: 'default' }, models: { type: 'string' }, seeds: { type: 'string', default: '0' }, steps: { type: 'string' }, out: { type: 'string' } },
});
const base = G2P_BUDGETS[values.budget];
if (!base) throw new Error(`--budget: expected quick, default or paper, found ${values.budget}`);
const budget = values.steps ? { ...base, steps: Number(values.steps) } : base;
const models = values.models ? values.models.split(',') : [...G2P_MODELS];
const seeds = values.seeds.split(',').map(Number);
const out = values.out ?? `results/g2p-${values.budget}`;
mkdirSync(out, { recursive: true });
await initBackend({ backend: 'wasm' });
const started = new Date().toISOString();
const { results, testWords } = await runTextG2P({
  budget,
  models,
  seeds,
  log: (line) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`),
  onTrained: async (model, run) => {
    const named = model.stateDict();
    await writeSafetensorsFile(`${out}/${run.model}-seed${run.seed}.safetensors`, await fromTfTensors(named), { config: JSON.stringify(model.config) });
    for (const t of Object.values(named)) t.dispose();
  },
});
const table = g2pTable(results);
console.log(table);
await writeFileAtomic(`${out}/results.json`, JSON.stringify({ started, budget, models, seeds, testWords, results }, null, 2));
await writeFileAtomic(`${out}/table.md`, table);
