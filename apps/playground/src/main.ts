import { Rng } from '@gated/tensor';
import { ADDING_BASELINE_MSE, addingBatch } from './adding-problem.js';
import { heatmap } from './charts/heatmap.js';
import { lineChart } from './charts/line-chart.js';
import { saturationScatter, type ScatterGroup } from './charts/scatter.js';
import { MODEL_COLOURS, escapeXml } from './charts/svg.js';
import { runInOnnxRuntime } from './onnx-check.js';
import type { FloatArray, GateTrace, ModelKind, RunSettings, WorkerReply, WorkerRequest } from './protocol.js';
import { unitSaturation } from './saturation.js';
import './style.css';

const KINDS: readonly ModelKind[] = ['lstm', 'gru'];
const LABEL: Record<ModelKind, string> = { lstm: 'LSTM', gru: 'GRU' };
/** Sequences the gates and the ONNX comparison are run on. */
const PROBE_BATCH = 4;
/** Agreement asked of onnxruntime-web and tfjs (float32, the same equations in a different order). */
const ONNX_TOLERANCE = 1e-5;

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no element #${id}`);
  return el as T;
}

/** What the page knows about one model's worker. */
interface ModelView {
  readonly kind: ModelKind;
  readonly worker: Worker;
  losses: number[];
  stepMs: number[];
  running: boolean;
  /** Resolvers waiting for a reply of a given type. */
  readonly waiting: Map<WorkerReply['type'], { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>;
}

const status = byId<HTMLParagraphElement>('status');
const buttons = {
  train: byId<HTMLButtonElement>('train'),
  stop: byId<HTMLButtonElement>('stop'),
  reset: byId<HTMLButtonElement>('reset'),
  inspect: byId<HTMLButtonElement>('inspect'),
  export: byId<HTMLButtonElement>('export'),
};

function say(text: string): void {
  status.textContent = text;
}

function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  say(`Error: ${message}`);
  status.classList.add('error');
  console.error(error);
}

function readSettings(): RunSettings {
  const number = (id: string): number => {
    const input = byId<HTMLInputElement>(id);
    const v = input.valueAsNumber;
    const min = Number(input.min);
    const max = Number(input.max);
    if (!Number.isFinite(v) || v < min || v > max) throw new Error(`${input.labels?.[0]?.textContent?.trim() ?? id} must be a number from ${min} to ${max}, found "${input.value}"`);
    return v;
  };
  return {
    seqLen: Math.round(number('seq-len')),
    hiddenSize: Math.round(number('hidden-size')),
    batchSize: Math.round(number('batch-size')),
    learningRate: number('learning-rate'),
    steps: Math.round(number('steps')),
    seed: Math.round(number('seed')),
  };
}

let settings: RunSettings = readSettings();

const views: Record<ModelKind, ModelView> = {
  lstm: makeView('lstm'),
  gru: makeView('gru'),
};

function makeView(kind: ModelKind): ModelView {
  const worker = new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module', name: `${kind}-trainer` });
  const view: ModelView = { kind, worker, losses: [], stepMs: [], running: false, waiting: new Map() };
  worker.onmessage = (event: MessageEvent<WorkerReply>) => onReply(view, event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    fail(new Error(`${LABEL[kind]} worker: ${event.message}`));
  };
  return view;
}

const post = (view: ModelView, message: WorkerRequest): void => view.worker.postMessage(message);

/** Sends `message` and resolves with the worker's next reply of type `type` (rejects on its error reply). */
function ask<T extends WorkerReply['type']>(view: ModelView, message: WorkerRequest, type: T): Promise<Extract<WorkerReply, { type: T }>> {
  return new Promise((resolve, reject) => {
    view.waiting.set(type, { resolve: resolve as (r: WorkerReply) => void, reject });
    post(view, message);
  });
}

function field(kind: ModelKind, name: string, text: string): void {
  const el = document.querySelector(`#model-${kind} [data-field="${name}"]`);
  if (el) el.textContent = text;
}

function onReply(view: ModelView, reply: WorkerReply): void {
  if (reply.type === 'error') {
    const pending = [...view.waiting.values()];
    view.waiting.clear();
    view.running = false;
    updateButtons();
    for (const p of pending) p.reject(new Error(reply.message));
    fail(new Error(`${LABEL[view.kind]} worker: ${reply.message}`));
    return;
  }
  const pending = view.waiting.get(reply.type);
  if (pending) {
    view.waiting.delete(reply.type);
    pending.resolve(reply);
  }
  if (reply.type === 'ready') {
    field(view.kind, 'params', reply.params.toLocaleString('en'));
  } else if (reply.type === 'step') {
    view.losses.push(reply.loss);
    view.stepMs.push(reply.stepMs);
    field(view.kind, 'step', `${reply.step} / ${settings.steps}`);
    field(view.kind, 'loss', reply.loss.toFixed(4));
    field(view.kind, 'stepMs', `${reply.stepMs.toFixed(1)} ms`);
    field(view.kind, 'memory', `${reply.numTensors} tensors, ${(reply.numBytes / 1024).toFixed(0)} KiB`);
    scheduleCharts();
  } else if (reply.type === 'stopped') {
    view.running = false;
    updateButtons();
    if (KINDS.every((k) => !views[k].running)) {
      const done = KINDS.every((k) => views[k].losses.length >= settings.steps);
      say(done ? `Finished ${settings.steps} steps. Record the gates or export to ONNX below.` : `Stopped at step ${reply.step}. Train resumes where it stopped.`);
      document.body.dataset['trained'] = String(views.lstm.losses.length);
    }
  }
}

let chartsPending = false;
function scheduleCharts(): void {
  if (chartsPending) return;
  chartsPending = true;
  requestAnimationFrame(() => {
    chartsPending = false;
    drawTrainingCharts();
  });
}

function drawTrainingCharts(): void {
  const longest = Math.max(1, ...KINDS.map((k) => views[k].losses.length));
  byId('loss-chart').innerHTML = lineChart(
    [
      ...KINDS.map((k) => ({ name: k, colour: MODEL_COLOURS[k] ?? '#000', values: views[k].losses })),
      { name: 'baseline', colour: '#9a9a9a', values: [ADDING_BASELINE_MSE, ADDING_BASELINE_MSE], xs: [1, longest] },
    ],
    { label: 'Training loss of the LSTM and the GRU per step', xLabel: 'step', yLabel: 'MSE', logY: true },
  );
  byId('time-chart').innerHTML = lineChart(
    KINDS.map((k) => ({ name: k, colour: MODEL_COLOURS[k] ?? '#000', values: views[k].stepMs })),
    { label: 'Step time of the LSTM and the GRU in milliseconds', xLabel: 'step', yLabel: 'ms' },
  );
}

function updateButtons(): void {
  const running = KINDS.some((k) => views[k].running);
  const trained = KINDS.every((k) => views[k].losses.length > 0);
  buttons.train.disabled = running;
  buttons.train.textContent = trained && KINDS.some((k) => views[k].losses.length < settings.steps) ? 'Resume' : 'Train';
  buttons.stop.disabled = !running;
  buttons.reset.disabled = running;
  buttons.inspect.disabled = running || !trained;
  buttons.export.disabled = running || !trained;
}

async function reset(): Promise<void> {
  settings = readSettings();
  for (const k of KINDS) {
    views[k].losses = [];
    views[k].stepMs = [];
    for (const f of ['step', 'loss', 'stepMs', 'memory']) field(k, f, '–');
  }
  delete document.body.dataset['trained'];
  drawTrainingCharts();
  await Promise.all(KINDS.map((k) => ask(views[k], { type: 'init', kind: k, settings }, 'ready')));
  updateButtons();
  say(`Ready: adding problem, T = ${settings.seqLen}, ${settings.hiddenSize} hidden units, ${settings.steps} steps.`);
}

function train(): void {
  const finished = KINDS.every((k) => views[k].losses.length >= settings.steps);
  const start = finished ? reset() : Promise.resolve();
  start
    .then(() => {
      for (const k of KINDS) {
        views[k].running = true;
        post(views[k], { type: 'train' });
      }
      updateButtons();
      say('Training both models, one worker each…');
    })
    .catch(fail);
}

function stop(): void {
  for (const k of KINDS) post(views[k], { type: 'stop' });
  say('Stopping after the current step…');
}

/** The same probe sequences for both models, from the run's seed. */
function probe(): { x: FloatArray; marks: number[][] } {
  const batch = addingBatch(new Rng(settings.seed).fork('probe'), PROBE_BATCH, settings.seqLen);
  const marks = Array.from({ length: PROBE_BATCH }, (_, b) =>
    Array.from({ length: settings.seqLen }, (_, t) => t).filter((t) => batch.x[(b * settings.seqLen + t) * 2 + 1] === 1),
  );
  return { x: { shape: [PROBE_BATCH, settings.seqLen, 2], values: batch.x }, marks };
}

let lastInspection: Partial<Record<ModelKind, Extract<WorkerReply, { type: 'inspected' }>>> = {};

async function inspectGates(): Promise<void> {
  buttons.inspect.disabled = true;
  say('Recording the gates…');
  try {
    const { x } = probe();
    const [lstm, gru] = await Promise.all(KINDS.map((k) => ask(views[k], { type: 'inspect', x }, 'inspected')));
    if (!lstm || !gru) throw new Error('a worker did not answer');
    lastInspection = { lstm, gru };
    drawGates();
    say('Gates recorded for 4 sequences.');
  } finally {
    updateButtons();
  }
}

function drawGates(): void {
  const example = Number(byId<HTMLSelectElement>('example').value);
  const { marks } = probe();
  byId('marks').textContent = `Sequence ${example + 1}: the marked steps are t = ${(marks[example] ?? []).map((t) => t + 1).join(' and ')}.`;
  const figures: string[] = [];
  const scatters: string[] = [];
  const shapes: ScatterGroup['shape'][] = ['circle', 'square', 'triangle'];
  const gateColours = ['#1b9e77', '#d95f02', '#7570b3'];
  for (const k of KINDS) {
    const rec = lastInspection[k];
    if (!rec) continue;
    const groups: ScatterGroup[] = [];
    for (const g of rec.gates) {
      const [batch = 0, steps = 0, units = 0] = g.values.shape;
      const one = g.values.values.subarray(example * steps * units, (example + 1) * steps * units);
      const bound = g.isGate ? 1 : Math.max(1e-6, ...Array.from(one, Math.abs));
      figures.push(
        `<figure class="gate" data-model="${k}" data-gate="${escapeXml(g.name)}"><figcaption>${LABEL[k]} ${escapeXml(g.name)}${g.isGate ? ' gate' : ''}</figcaption>${heatmap(one, steps, units, {
          label: `${LABEL[k]} ${g.name} over time, sequence ${example + 1}`,
          min: g.isGate ? 0 : -bound,
          max: bound,
          scale: g.isGate ? 'sequential' : 'diverging',
        })}</figure>`,
      );
      if (g.isGate) {
        const i = groups.length;
        groups.push({ name: g.name, colour: gateColours[i] ?? '#000', shape: shapes[i] ?? 'circle', points: unitSaturation(g.values.values, batch, steps, units).map((s) => ({ x: s.left, y: s.right })) });
      }
    }
    const legend = groups.map((g) => `<li><span class="marker ${g.shape}" style="color:${g.colour}" aria-hidden="true"></span>${escapeXml(g.name)}</li>`).join('');
    scatters.push(`<figure class="saturation-model"><figcaption>${LABEL[k]}</figcaption>${saturationScatter(groups, `${LABEL[k]} gate saturation per unit`)}<ul class="legend">${legend}</ul></figure>`);
  }
  byId('heatmaps').innerHTML = figures.join('');
  byId('saturation').innerHTML = scatters.join('');
  const series = [];
  if (lastInspection.lstm?.rnnGradientFlow) series.push({ name: 'rnn', colour: MODEL_COLOURS['rnn'] ?? '#000', values: lastInspection.lstm.rnnGradientFlow });
  for (const k of KINDS) {
    const rec = lastInspection[k];
    if (rec) series.push({ name: k, colour: MODEL_COLOURS[k] ?? '#000', values: rec.gradientFlow });
  }
  byId('flow-chart').innerHTML = lineChart(series, { label: 'Gradient norm reaching each time step for RNN, LSTM and GRU', xLabel: 'time step t', yLabel: '‖∂L/∂h_t‖', logY: true });
}

async function exportAndCompare(): Promise<void> {
  buttons.export.disabled = true;
  say('Exporting to ONNX and running in onnxruntime-web…');
  try {
    const { x } = probe();
    const rows: string[] = [];
    const table = byId<HTMLTableElement>('onnx-table');
    for (const k of KINDS) {
      const { onnx, output } = await ask(views[k], { type: 'export', x }, 'exported');
      const agreement = await runInOnnxRuntime(onnx, x, output);
      const link = byId<HTMLAnchorElement>(`download-${k}`);
      if (link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
      link.href = URL.createObjectURL(new Blob([onnx as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
      link.hidden = false;
      const agree = agreement.maxAbsDiff <= ONNX_TOLERANCE;
      rows.push(
        `<tr data-model="${k}" data-max-abs-diff="${agreement.maxAbsDiff}"><th scope="row">${LABEL[k]}</th><td>${(onnx.length / 1024).toFixed(1)} KiB</td><td>${agreement.maxAbsDiff.toExponential(2)}</td><td>${agree ? 'yes' : 'no'}</td></tr>`,
      );
    }
    const body = table.tBodies[0] ?? table.createTBody();
    body.innerHTML = rows.join('');
    table.hidden = false;
    say('Exported both models; onnxruntime-web ran them in this page.');
  } finally {
    updateButtons();
  }
}

buttons.train.addEventListener('click', train);
buttons.stop.addEventListener('click', stop);
buttons.reset.addEventListener('click', () => void reset().catch(fail));
buttons.inspect.addEventListener('click', () => void inspectGates().catch(fail));
buttons.export.addEventListener('click', () => void exportAndCompare().catch(fail));
byId<HTMLSelectElement>('example').addEventListener('change', () => {
  if (lastInspection.lstm) drawGates();
});
byId<HTMLFormElement>('settings').addEventListener('submit', (event) => event.preventDefault());

drawTrainingCharts();
reset()
  .then(() => {
    document.body.dataset['ready'] = 'true';
  })
  .catch(fail);
