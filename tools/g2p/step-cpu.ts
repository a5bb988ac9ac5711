// CPU cost of the text-g2p tasks' models at the grid's default shape (H 64, embeddings 32, batch 32): process CPU
// time (user + system) per training step, 20 steps after 3 warm-up steps, and of the greedy PER of 300 test words.
// CPU time, unlike wall time, stays meaningful on a shared machine. Run from the repository root:
//   nice node --conditions=@gated/source --import ./tools/compare/ts-source-loader.mjs tools/g2p/step-cpu.ts
import { Seq2Seq } from '@gated/seq2seq';
import { initBackend } from '@gated/tensor';
import { evaluateG2P, g2pModelOptions, loadG2PData, trainG2P } from '../../apps/compare/src/tasks/text-g2p.ts';

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

await initBackend({ backend: 'wasm' });
const data = await loadG2PData();
for (const [kind, attention] of [['lstm', true], ['gru', true], ['lstm', false], ['gru', false]] as const) {
  const model = new Seq2Seq(g2pModelOptions(kind, attention, { hiddenSize: 64, embeddingDim: 32, numLayers: 1 }, data.vocabulary, 0));
  await trainG2P(model, data, { steps: 3, batchSize: 32, learningRate: 0.005 }, 0);
  const start = process.cpuUsage();
  await trainG2P(model, data, { steps: 20, batchSize: 32, learningRate: 0.005 }, 1);
  const train = cpuMs(start);
  const evalStart = process.cpuUsage();
  evaluateG2P(model, data.vocabulary, data.test.slice(0, 300), 1);
  console.log(`${kind} attention=${attention}: train CPU ${(train / 20).toFixed(1)} ms/step; greedy PER on 300 words CPU ${cpuMs(evalStart).toFixed(0)} ms`);
  model.dispose();
}
