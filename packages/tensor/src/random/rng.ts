import { assertInteger } from '../check/shape-check.js';

/** The serialisable state of an {@link Rng}: four 32-bit words. Checkpoints store it to resume exactly. */
export type RngState = readonly [number, number, number, number];

// splitmix32 spreads a small integer seed over the generator's 128-bit state.
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * A seedable random generator (xoshiro128**). Every random choice in gated — initializers, dropout masks,
 * shuffles, splits — draws from one of these, so the same seed gives the same numbers in every run and process.
 *
 * @example
 * const rng = new Rng(42);
 * rng.uniform(); // same value on every machine
 * const child = rng.fork('dropout'); // an independent stream, still determined by the seed
 */
export class Rng {
  #s: Uint32Array;

  constructor(seed: number) {
    assertInteger('seed', seed, 0, 2 ** 53);
    const next = splitmix32((seed >>> 0) ^ Math.floor(seed / 2 ** 32));
    this.#s = Uint32Array.of(next(), next(), next(), next());
  }

  /** Rebuilds a generator from {@link Rng.state}. */
  static fromState(state: RngState): Rng {
    const rng = new Rng(0);
    rng.#s = Uint32Array.from(state);
    return rng;
  }

  /** A copy of the current state. */
  get state(): RngState {
    const [a, b, c, d] = this.#s;
    return [a!, b!, c!, d!];
  }

  /** The next uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** A float in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A float in [low, high). */
  uniformRange(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    assertInteger('n', n, 1, 2 ** 32);
    return Math.floor(this.uniform() * n);
  }

  /** A normal sample (Box–Muller, one value per two uniforms, so the state alone determines what comes next). */
  normal(mean = 0, std = 1): number {
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Fills a new Float32Array with uniform samples in [low, high). */
  uniformArray(size: number, low = 0, high = 1): Float32Array {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = low + (high - low) * this.uniform();
    return out;
  }

  /** Fills a new Float32Array with normal samples. */
  normalArray(size: number, mean = 0, std = 1): Float32Array {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = this.normal(mean, std);
    return out;
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /**
   * An independent generator derived from this one's current state and `label`, without advancing this one.
   * Use it to give each consumer (initializer, dropout, shuffle) its own stream.
   */
  fork(label: string | number): Rng {
    let h = 0x811c9dc5;
    for (const ch of String(label)) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
    const mix = splitmix32(h ^ this.#s[0]! ^ rotl(this.#s[1]!, 7) ^ rotl(this.#s[2]!, 13) ^ rotl(this.#s[3]!, 19));
    return Rng.fromState([mix(), mix(), mix(), mix() | 1]);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
