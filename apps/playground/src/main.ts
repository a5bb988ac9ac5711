import { heatmap } from './charts/heatmap.js';
import { lineChart } from './charts/line-chart.js';
import { saturationScatter, type ScatterGroup } from './charts/scatter.js';
import { MODEL_COLOURS, escapeXml } from './charts/svg.js';
import { runInOnnxRuntime } from './onnx-check.js';
import type { ModelKind, RunSettings, TaskName, WorkerReply, WorkerRequest } from './protocol.js';
import { unitSaturation } from './saturation.js';
import { ADDING_BASELINE_MSE, TASK_DEFAULTS, TASK_TEXT } from './task-info.js';
import './style.css';

const KINDS: readonly ModelKind[] = ['lstm', 'gru'];
const LABEL: Record<ModelKind, string> = { lstm: 'LSTM', gru: 'GRU' };
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
  /** Spoken digits: accuracy on the held-out voices when the worker last stopped. */
  accuracy?: number;
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
  sample: byId<HTMLButtonElement>('sample'),
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
  const task = byId<HTMLSelectElement>('task').value;
  if (task !== 'adding' && task !== 'char-lm' && task !== 'co2' && task !== 'spoken-digits') throw new Error(`unknown task "${task}"`);
  return {
    task,
    seqLen: Math.round(number('seq-len')),
    hiddenSize: Math.round(number('hidden-size')),
    batchSize: Math.round(number('batch-size')),
    learningRate: number('learning-rate'),
    steps: Math.round(number('steps')),
    seed: Math.round(number('seed')),
  };
}

let settings: RunSettings = readSettings();
let lastInspection: Partial<Record<ModelKind, Extract<WorkerReply, { type: 'inspected' }>>> = {};

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
    if (reply.accuracy !== undefined) {
      view.accuracy = reply.accuracy;
      field(view.kind, 'accuracy', `${(100 * reply.accuracy).toFixed(1)} % at step ${reply.step}`);
    }
    updateButtons();
    if (KINDS.every((k) => !views[k].running)) {
      const done = KINDS.every((k) => views[k].losses.length >= settings.steps);
      const accuracy =
        settings.task === 'spoken-digits'
          ? ` Accuracy on the held-out voices: LSTM ${(100 * (views.lstm.accuracy ?? 0)).toFixed(1)} %, GRU ${(100 * (views.gru.accuracy ?? 0)).toFixed(1)} %.`
          : '';
      say(`${done ? `Finished ${settings.steps} steps.${accuracy} Record the gates or export to ONNX below.` : `Stopped at step ${reply.step}.${accuracy} Train resumes where it stopped.`}`);
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
  const adding = settings.task === 'adding';
  byId('loss-caption').textContent = {
    adding: 'Training loss (MSE, log scale); grey: predicting the mean scores 1/6',
    'char-lm': 'Training loss (cross-entropy, nats per character, log scale)',
    co2: 'Training loss (MSE of the next month, standardised units, log scale)',
    'spoken-digits': 'Training loss (cross-entropy over the 10 digits, nats per clip, log scale)',
  }[settings.task];
  byId('loss-chart').innerHTML = lineChart(
    [
      ...KINDS.map((k) => ({ name: k, colour: MODEL_COLOURS[k] ?? '#000', values: views[k].losses })),
      ...(adding ? [{ name: 'baseline', colour: '#9a9a9a', values: [ADDING_BASELINE_MSE, ADDING_BASELINE_MSE], xs: [1, longest] }] : []),
    ],
    { label: 'Training loss of the LSTM and the GRU per step', xLabel: 'step', yLabel: { adding: 'MSE', 'char-lm': 'nats/char', co2: 'MSE', 'spoken-digits': 'nats/clip' }[settings.task], logY: true },
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
  buttons.sample.disabled = running || !trained;
}

async function reset(): Promise<void> {
  settings = readSettings();
  for (const k of KINDS) {
    views[k].losses = [];
    views[k].stepMs = [];
    delete views[k].accuracy;
    for (const f of ['step', 'loss', 'stepMs', 'memory', 'accuracy']) field(k, f, '–');
  }
  delete document.body.dataset['trained'];
  // What was shown belongs to the models being replaced.
  lastInspection = {};
  for (const id of ['heatmaps', 'saturation', 'flow-chart', 'marks', 'sample-lstm', 'sample-gru', 'downloads']) byId(id).replaceChildren();
  const table = byId<HTMLTableElement>('onnx-table');
  table.hidden = true;
  table.tBodies[0]?.replaceChildren();
  drawTrainingCharts();
  await Promise.all(KINDS.map((k) => ask(views[k], { type: 'init', kind: k, settings }, 'ready')));
  updateButtons();
  say(`Ready: ${TASK_TEXT[settings.task]}, T = ${settings.seqLen}, ${settings.hiddenSize} hidden units, ${settings.steps} steps.`);
  byId('sampling').hidden = settings.task !== 'char-lm';
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


async function inspectGates(): Promise<void> {
  buttons.inspect.disabled = true;
  say('Recording the gates…');
  try {
    const [lstm, gru] = await Promise.all(KINDS.map((k) => ask(views[k], { type: 'inspect' }, 'inspected')));
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
  const labels = lastInspection.lstm?.labels[example] ?? [];
  byId('marks').textContent = {
    adding: `Sequence ${example + 1}: the marked steps are t = ${labels.flatMap((l, t) => (l ? [t + 1] : [])).join(' and ')}.`,
    'char-lm': `Sequence ${example + 1}: “${labels.join('')}”`,
    co2: `Sequence ${example + 1}: the months ${labels[0] ?? ''} to ${labels[labels.length - 1] ?? ''} (held out from training).`,
    'spoken-digits': `Sequence ${example + 1}: “${labels[labels.length - 1] ?? ''}” said by a held-out voice (${labels.filter((l) => l).length} frames of 20 ms; blank steps are padding).`,
  }[settings.task];
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
  for (const k of KINDS) {
    const rec = lastInspection[k];
    if (rec) series.push({ name: `${k} at init`, colour: MODEL_COLOURS[k] ?? '#000', values: rec.initialGradientFlow });
  }
  byId('flow-chart').innerHTML = lineChart(series, { label: 'Gradient norm reaching each time step: RNN at initialisation, LSTM and GRU trained and at initialisation', xLabel: 'time step t', yLabel: '‖∂L/∂h_t‖', logY: true });
}

/** Offers `onnx` as a file download (a link to an object URL, replaced on each export). */
function downloadLink(kind: ModelKind, onnx: Uint8Array): void {
  const id = `download-${kind}`;
  const old = document.getElementById(id) as HTMLAnchorElement | null;
  if (old) URL.revokeObjectURL(old.href);
  const link = document.createElement('a');
  link.id = id;
  link.className = 'download';
  link.href = URL.createObjectURL(new Blob([onnx as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
  link.download = `gated-${kind}-${settings.task}.onnx`;
  link.textContent = `Download ${LABEL[kind]} .onnx`;
  if (old) old.replaceWith(link);
  else byId('downloads').append(link);
}

async function sample(): Promise<void> {
  buttons.sample.disabled = true;
  say('Sampling text…');
  try {
    const temperature = byId<HTMLInputElement>('temperature').valueAsNumber;
    if (!(temperature >= 0.05 && temperature <= 3)) throw new Error(`Temperature must be from 0.05 to 3, found "${byId<HTMLInputElement>('temperature').value}"`);
    const prime = byId<HTMLInputElement>('prime').value;
    for (const k of KINDS) {
      const { text } = await ask(views[k], { type: 'sample', prime, length: 200, temperature }, 'sampled');
      byId(`sample-${k}`).textContent = prime + text;
    }
    say(`Sampled 200 characters from each model at temperature ${temperature}.`);
  } finally {
    updateButtons();
  }
}

async function exportAndCompare(): Promise<void> {
  buttons.export.disabled = true;
  say('Exporting to ONNX and running in onnxruntime-web…');
  try {
    const rows: string[] = [];
    const table = byId<HTMLTableElement>('onnx-table');
    for (const k of KINDS) {
      const { onnx, input, output } = await ask(views[k], { type: 'export' }, 'exported');
      const agreement = await runInOnnxRuntime(onnx, input, output);
      downloadLink(k, onnx);
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
buttons.sample.addEventListener('click', () => void sample().catch(fail));
byId<HTMLSelectElement>('task').addEventListener('change', () => {
  const task = byId<HTMLSelectElement>('task').value as TaskName;
  const defaults = TASK_DEFAULTS[task];
  if (!defaults) return;
  const ids: Record<keyof typeof defaults, string> = { seqLen: 'seq-len', hiddenSize: 'hidden-size', batchSize: 'batch-size', learningRate: 'learning-rate', steps: 'steps' };
  for (const [key, id] of Object.entries(ids)) byId<HTMLInputElement>(id).value = String(defaults[key as keyof typeof defaults]);
  say(`Settings for the ${TASK_TEXT[task]} filled in: press “Reset with these settings”, then Train.`);
});
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
