// How much of a CTC training step the loss and its gradient cost. One process, wasm backend:
//   npx nx run-many -t build --projects=@gated/ctc,@gated/cells && node tools/bench/ctc.mjs [--quick]
// Workload (the speech-ctc task's shape): bidirectional LSTM, hidden 64, 39 features, 11 classes (10 digits +
// blank), batch 16 × 150 frames (3 s at a 20 ms shift), targets of 1–7 labels. Measured, median of runs:
//   step      forward + backward of the BiLSTM acoustic model with CTC, and an Adam update (a whole training step)
//   ctc       ctcLoss forward + analytic gradient alone, on the same [T, B, C] log-probabilities
//   autodiff  for scale: the same loss built from tfjs ops (log-space α recursion) and differentiated by tfjs
// Prints ctc / step (the fraction of a step the loss takes) and autodiff / ctc; writes bench-results/ctc.json.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const { SequenceModel } = await import('@gated/cells');
const { ctcLoss } = await import('@gated/ctc');
const { Rng, initBackend } = await import('@gated/tensor');
const tf = await import('@tensorflow/tfjs-core');

const quick = process.argv.includes('--quick');
const REPS = quick ? 3 : 10;
const W = { batch: 16, frames: 150, features: 39, hidden: 64, classes: 11 };

const backend = await initBackend({ backend: 'wasm' });
const rng = new Rng(1);
const x = tf.tensor3d(rng.normalArray(W.batch * W.frames * W.features), [W.batch, W.frames, W.features]);
const inputLengths = Array.from({ length: W.batch }, (_, b) => W.frames - 5 * b);
const targets = Array.from({ length: W.batch }, () => Array.from({ length: 1 + rng.int(7) }, () => 1 + rng.int(W.classes - 1)));
const lengths = tf.tensor1d(inputLengths, 'int32');
const model = new SequenceModel({ kind: 'lstm', inputSize: W.features, hiddenSize: W.hidden, bidirectional: true, outputSize: W.classes, pooling: 'none', seed: 1 });
const optimizer = tf.train.adam(1e-3);
const vars = Object.values(model.parameters());

function step() {
  const loss = optimizer.minimize(() => {
    const { output, state } = model.forward(x, { lengths, training: true });
    tf.dispose(Object.values(state));
    const lp = tf.logSoftmax(tf.transpose(output, [1, 0, 2]));
    return ctcLoss(lp, targets, inputLengths);
  }, true, vars);
  loss.dataSync();
  loss.dispose();
}

const logits = tf.tensor3d(rng.normalArray(W.frames * W.batch * W.classes, 0, 2), [W.frames, W.batch, W.classes]);
const lpFixed = tf.logSoftmax(logits);
const ctcGrad = tf.valueAndGrad((lp) => ctcLoss(lp, targets, inputLengths));
function ctcOnly() {
  const { value, grad } = ctcGrad(lpFixed);
  grad.dataSync();
  tf.dispose([value, grad]);
}

// The loss written with tfjs ops (what autodiff through a loop would cost): α over [B, 2L+1] per frame.
const S = 2 * Math.max(...targets.map((t) => t.length)) + 1;
const ext = targets.map((t) => Array.from({ length: S }, (_, s) => (s % 2 === 0 || (s >> 1) >= t.length ? 0 : t[s >> 1])));
const skip = ext.map((row) => row.map((l, s) => (s > 1 && l !== 0 && l !== row[s - 2] ? 0 : -1e30)));
const extIdx = tf.tensor2d(ext, [W.batch, S], 'int32');
// Emission of extended label s at frame t: a one-hot [B, S, C] times the frame's log-probs [B, C, 1].
const extOneHot = tf.cast(tf.oneHot(extIdx, W.classes), 'float32');
const skipMask = tf.tensor2d(skip, [W.batch, S]);
const endMask = tf.tensor2d(targets.map((t) => Array.from({ length: S }, (_, s) => (s === 2 * t.length || s === 2 * t.length - 1 ? 0 : -1e30))), [W.batch, S]);
function autodiffLoss(lp) {
  const neg = tf.fill([W.batch, 1], -1e30);
  const neg2 = tf.fill([W.batch, 2], -1e30);
  let alpha = tf.concat([tf.zeros([W.batch, 1]), tf.fill([W.batch, S - 1], -1e30)], 1);
  let alphaPrev = tf.fill([W.batch, S], -1e30);
  for (let t = 0; t < W.frames; t++) {
    const emit = tf.reshape(tf.matMul(extOneHot, tf.reshape(tf.slice(lp, [t, 0, 0], [1, W.batch, W.classes]), [W.batch, W.classes, 1])), [W.batch, S]);
    const a1 = t === 0 ? alpha : alphaPrev;
    const a2 = tf.concat([neg, tf.slice(a1, [0, 0], [W.batch, S - 1])], 1);
    const a3 = tf.add(tf.concat([neg2, tf.slice(a1, [0, 0], [W.batch, S - 2])], 1), skipMask);
    const next = tf.add(tf.logSumExp(tf.stack([a1, a2, a3]), 0), emit);
    // Sequences that ended keep their α.
    const live = tf.tensor2d(inputLengths.map((n) => [t < n ? 1 : 0]), [W.batch, 1]);
    alphaPrev = tf.add(tf.mul(next, live), tf.mul(t === 0 ? next : alphaPrev, tf.sub(1, live)));
    alpha = alphaPrev;
  }
  return tf.neg(tf.mean(tf.logSumExp(tf.add(alpha, endMask), 1)));
}
const autodiffGrad = tf.valueAndGrad(autodiffLoss);
function autodiff() {
  tf.tidy(() => {
    const { value, grad } = autodiffGrad(lpFixed);
    grad.dataSync();
    value.dataSync();
  });
}

const median = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
function time(fn, reps) {
  fn();
  const out = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return median(out);
}
const result = { step: time(step, REPS), ctc: time(ctcOnly, REPS * 3), autodiff: time(autodiff, Math.max(2, Math.floor(REPS / 3))) };
const ratios = { ctcOverStep: result.ctc / result.step, autodiffOverCtc: result.autodiff / result.ctc };
console.log(`backend ${backend}; BiLSTM ${W.hidden}, batch ${W.batch} × ${W.frames} frames × ${W.features}, ${W.classes} classes`);
for (const [k, v] of Object.entries(result)) console.log(`${k.padEnd(9)} ${v.toFixed(2)} ms`);
console.log(`CTC loss + gradient = ${(100 * ratios.ctcOverStep).toFixed(1)}% of a BiLSTM training step; tfjs-ops autodiff CTC / ours: ${ratios.autodiffOverCtc.toFixed(0)}×`);

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'bench-results', 'ctc.json');
mkdirSync(dirname(out), { recursive: true });
const temp = `${out}.${process.pid}.tmp`;
writeFileSync(temp, `${JSON.stringify({ backend, workload: W, ms: result, ratios, reps: REPS, date: new Date().toISOString() }, null, 2)}\n`);
renameSync(temp, out);
model.dispose();
tf.dispose([x, lengths, logits, lpFixed, extIdx, extOneHot, skipMask, endMask]);
