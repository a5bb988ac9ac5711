/**
 * A float64 reference of PyTorch's recurrent layers (plus peepholes and the chung2014-form GRU update), written from
 * the equations, independent of the exporter and of tfjs: the tests hold onnxruntime's outputs against it.
 */
import { Rng } from '@gated/tensor';
import { GATE_COUNT } from '@gated/cells';
import { dirs, layerInputSize, outSize, type RecurrentSpec, type WeightData } from '../recurrent-spec.js';

export type Mat = number[][];

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** y = W·x (+ b) for W [rows, cols] row-major. */
function affine(w: Float32Array, rows: number, x: readonly number[], b?: Float32Array): number[] {
  const cols = x.length;
  const y = new Array<number>(rows).fill(0);
  for (let r = 0; r < rows; r++) {
    let s = b ? b[r]! : 0;
    for (let c = 0; c < cols; c++) s += w[r * cols + c]! * x[c]!;
    y[r] = s;
  }
  return y;
}

export interface ReferenceResult {
  /** [B][T][dirs·H'] */
  output: number[][][];
  /** [layers·dirs][B][H'] */
  hidden: number[][][];
  /** [layers·dirs][B][H] */
  cell?: number[][][];
}

/** Runs `spec` on batch-first x [B][T][F] like PyTorch (packed sequences when lengths are given). */
export function referenceForward(
  spec: RecurrentSpec,
  x: number[][][],
  lengths?: readonly number[],
  initial?: { hidden: number[][][]; cell?: number[][][] },
): ReferenceResult {
  const B = x.length;
  const T = x[0]!.length;
  const H = spec.hiddenSize;
  const Ho = outSize(spec);
  const D = dirs(spec);
  const G = GATE_COUNT[spec.kind];
  const w = (n: string): Float32Array => spec.weights[n]!.data;
  let layerIn = x;
  const hidden: number[][][] = [];
  const cell: number[][][] = [];
  for (let k = 0; k < spec.numLayers; k++) {
    const inSize = layerInputSize(spec, k);
    const out: number[][][] = Array.from({ length: B }, () => Array.from({ length: T }, () => new Array<number>(D * Ho).fill(0)));
    for (let d = 0; d < D; d++) {
      const sfx = `_l${k}${d === 1 ? '_reverse' : ''}`;
      const idx = k * D + d;
      const hN: number[][] = [];
      const cN: number[][] = [];
      for (let b = 0; b < B; b++) {
        const len = lengths ? lengths[b]! : T;
        let h = initial ? [...initial.hidden[idx]![b]!] : new Array<number>(Ho).fill(0);
        let c = initial?.cell ? [...initial.cell[idx]![b]!] : new Array<number>(H).fill(0);
        for (let s = 0; s < len; s++) {
          const t = d === 0 ? s : len - 1 - s;
          const xt = layerIn[b]![t]!;
          if (xt.length !== inSize) throw new Error(`reference: input size ${xt.length} ≠ ${inSize}`);
          const gx = affine(w(`weight_ih${sfx}`), G * H, xt, spec.bias ? w(`bias_ih${sfx}`) : undefined);
          const gh = affine(w(`weight_hh${sfx}`), G * H, h, spec.bias ? w(`bias_hh${sfx}`) : undefined);
          if (spec.kind === 'lstm') {
            const pi = spec.peepholes ? w(`weight_ci${sfx}`) : undefined;
            const pf = spec.peepholes ? w(`weight_cf${sfx}`) : undefined;
            const po = spec.peepholes ? w(`weight_co${sfx}`) : undefined;
            const nc = new Array<number>(H);
            const m = new Array<number>(H);
            for (let j = 0; j < H; j++) {
              const a = (gate: number): number => gx[gate * H + j]! + gh[gate * H + j]!;
              // i, f see c_{t−1}; o sees c_t (peephole LSTM)
              const i = sigmoid(a(0) + (pi ? pi[j]! * c[j]! : 0));
              const f = sigmoid(a(1) + (pf ? pf[j]! * c[j]! : 0));
              const g = Math.tanh(a(2));
              nc[j] = f * c[j]! + i * g;
              const o = sigmoid(a(3) + (po ? po[j]! * nc[j]! : 0));
              m[j] = o * Math.tanh(nc[j]!);
            }
            c = nc;
            h = spec.projSize > 0 ? affine(w(`weight_hr${sfx}`), spec.projSize, m) : m;
          } else if (spec.kind === 'gru') {
            const nh = new Array<number>(H);
            const r = Array.from({ length: H }, (_, j) => sigmoid(gx[j]! + gh[j]!));
            let hn: number[];
            if (spec.resetAfter) {
              hn = gh.slice(2 * H);
              for (let j = 0; j < H; j++) hn[j] = r[j]! * hn[j]!;
            } else {
              const rh = h.map((v, j) => r[j]! * v);
              const whn = w(`weight_hh${sfx}`).subarray(2 * H * H);
              hn = affine(whn, H, rh, spec.bias ? w(`bias_hh${sfx}`).subarray(2 * H) : undefined);
            }
            for (let j = 0; j < H; j++) {
              const z = sigmoid(gx[H + j]! + gh[H + j]!);
              const n = Math.tanh(gx[2 * H + j]! + hn[j]!);
              nh[j] = spec.updateGate === 'chung2014' ? (1 - z) * h[j]! + z * n : (1 - z) * n + z * h[j]!;
            }
            h = nh;
          } else {
            h = gx.map((v, j) => {
              const a = v + gh[j]!;
              return spec.nonlinearity === 'relu' ? Math.max(0, a) : Math.tanh(a);
            });
          }
          for (let j = 0; j < Ho; j++) out[b]![t]![d * Ho + j] = h[j]!;
        }
        hN.push(h);
        cN.push(c);
      }
      hidden.push(hN);
      cell.push(cN);
    }
    layerIn = out;
  }
  return { output: layerIn, hidden, ...(spec.kind === 'lstm' ? { cell } : {}) };
}

/** Options of a random spec; unspecified ones take PyTorch's defaults. */
export type SpecOptions = Partial<Omit<RecurrentSpec, 'weights'>> & Pick<RecurrentSpec, 'kind' | 'inputSize' | 'hiddenSize'>;

/** A spec with uniform(−0.6, 0.6) weights drawn from a seeded Rng. */
export function randomSpec(o: SpecOptions, seed: number): RecurrentSpec {
  const spec: Omit<RecurrentSpec, 'weights'> = {
    numLayers: 1,
    bidirectional: false,
    batchFirst: true,
    bias: true,
    projSize: 0,
    peepholes: false,
    resetAfter: true,
    updateGate: 'torch',
    nonlinearity: 'tanh',
    ...o,
  };
  const rng = new Rng(seed);
  const weights: Record<string, WeightData> = {};
  const G = GATE_COUNT[spec.kind];
  const H = spec.hiddenSize;
  const put = (name: string, shape: number[]): void => {
    const n = shape.reduce((a, b) => a * b, 1);
    weights[name] = { shape, data: Float32Array.from(rng.uniformArray(n, -0.6, 0.6)) };
  };
  const full = { ...spec, weights };
  for (let k = 0; k < spec.numLayers; k++) {
    for (let d = 0; d < dirs(full); d++) {
      const sfx = `_l${k}${d === 1 ? '_reverse' : ''}`;
      put(`weight_ih${sfx}`, [G * H, layerInputSize(full, k)]);
      put(`weight_hh${sfx}`, [G * H, outSize(full)]);
      if (spec.bias) {
        put(`bias_ih${sfx}`, [G * H]);
        put(`bias_hh${sfx}`, [G * H]);
      }
      if (spec.projSize > 0) put(`weight_hr${sfx}`, [spec.projSize, H]);
      if (spec.peepholes) for (const p of ['ci', 'cf', 'co']) put(`weight_${p}${sfx}`, [H]);
    }
  }
  return full;
}

/** A random [B][T][F] batch. */
export function randomInput(B: number, T: number, F: number, seed: number): number[][][] {
  const rng = new Rng(seed);
  return Array.from({ length: B }, () => Array.from({ length: T }, () => Array.from(rng.uniformArray(F, -1, 1))));
}

export function flat(a: unknown): number[] {
  return (a as unknown[]).flat(Number.POSITIVE_INFINITY) as number[];
}

/** Max |a − b| over two equally long arrays; an error if the lengths differ. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
