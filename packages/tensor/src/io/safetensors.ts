import { assertObject, toBytes } from '../check/argument-check.js';
import { describeValue } from '../check/options.js';
import { GatedError } from '../check/errors.js';

/** Element types of the safetensors format that gated reads and writes. */
export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

/**
 * A tensor as stored in a safetensors file. `data` uses the natural JS array for the dtype: F16 and BF16
 * are widened to Float32Array (exactly), I64 is a BigInt64Array, BOOL a Uint8Array of 0/1.
 */
export interface NamedTensor {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly data: Float64Array | Float32Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array;
}

/** What {@link readSafetensors} returns. */
export interface Safetensors {
  readonly tensors: Record<string, NamedTensor>;
  readonly metadata: Record<string, string>;
}

/** A safetensors file or buffer that does not follow the format; `details.tensor` names the culprit. */
export class SafetensorsError extends GatedError<{ tensor?: string; file?: string; expected: string; actual: string }> {
  constructor(code: string, what: string, details: { tensor?: string; file?: string; expected: string; actual: string }) {
    const where = [details.file, details.tensor && `tensor "${details.tensor}"`].filter(Boolean).join(': ');
    super(code, `${where ? `${where}: ` : ''}${what}: expected ${details.expected}, got ${details.actual}`, details);
  }
}

const BYTES: Record<SafetensorsDtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };
const DTYPES = Object.keys(BYTES) as SafetensorsDtype[];
const MAX_HEADER_BYTES = 100_000_000;

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

function fail(code: string, what: string, expected: string, actual: string, tensor?: string): never {
  throw new SafetensorsError(`GATED_SAFETENSORS_${code}`, what, { ...(tensor === undefined ? {} : { tensor }), expected, actual });
}

function parseHeader(bytes: Uint8Array): { entries: Record<string, unknown>; dataStart: number } {
  if (bytes.length < 8) fail('HEADER', 'file too short for the 8-byte header length', '≥ 8 bytes', `${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8 || headerLength > MAX_HEADER_BYTES) {
    fail('HEADER', 'header length beyond the file', `≤ ${Math.min(bytes.length - 8, MAX_HEADER_BYTES)} bytes`, `${headerLength} bytes`);
  }
  let entries: unknown;
  try {
    entries = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    fail('HEADER', 'header is not valid UTF-8 JSON', 'a JSON object', (error as Error).message);
  }
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
    fail('HEADER', 'header is not a JSON object', 'a JSON object', Array.isArray(entries) ? 'an array' : typeof entries);
  }
  return { entries: entries as Record<string, unknown>, dataStart: 8 + headerLength };
}

function checkEntry(name: string, raw: unknown, dataLength: number): HeaderEntry & { dtype: SafetensorsDtype } {
  const entry = raw as Partial<HeaderEntry> | null;
  if (typeof entry !== 'object' || entry === null) fail('HEADER', 'entry is not an object', '{dtype, shape, data_offsets}', JSON.stringify(raw), name);
  if (!DTYPES.includes(entry.dtype as SafetensorsDtype)) fail('DTYPE', 'unknown dtype', DTYPES.join('|'), JSON.stringify(entry.dtype), name);
  const shape = entry.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail('HEADER', 'bad shape', 'an array of non-negative integers', JSON.stringify(shape), name);
  }
  const offsets = entry.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    fail('OFFSETS', 'bad data_offsets', '[begin, end] integers', JSON.stringify(offsets), name);
  }
  const [begin, end] = offsets;
  if (begin > end || end > dataLength) fail('OFFSETS', 'data_offsets out of range', `0 ≤ begin ≤ end ≤ ${dataLength}`, `[${begin}, ${end}]`, name);
  const dtype = entry.dtype as SafetensorsDtype;
  const expectedBytes = shape.reduce((a, b) => a * b, 1) * BYTES[dtype];
  if (expectedBytes !== end - begin) {
    fail('SIZE', 'shape × dtype size does not match the byte length', `${expectedBytes} bytes for ${dtype}[${shape.join(', ')}]`, `${end - begin} bytes`, name);
  }
  return { dtype, shape, data_offsets: [begin, end] };
}

function f16ToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (mantissa / 1024);
  if (exponent === 31) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + mantissa / 1024);
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

function f32ToF16(value: number): number {
  f32Scratch[0] = value;
  const x = u32Scratch[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    // Subnormal half: shift the implicit-1 mantissa into place, rounding to nearest even.
    const m = mantissa | 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rounded = (m + half - 1 + ((m >>> shift) & 1)) >>> shift;
    return sign | rounded;
  }
  const rounded = (mantissa + 0xfff + ((mantissa >>> 13) & 1)) >>> 13;
  return (sign | (e << 10)) + rounded; // a mantissa carry correctly bumps the exponent
}

function decode(dtype: SafetensorsDtype, bytes: Uint8Array): NamedTensor['data'] {
  // Copy into an aligned buffer: offsets in a file need not be aligned to the element size.
  const copy = bytes.slice().buffer;
  const n = bytes.length / BYTES[dtype];
  switch (dtype) {
    case 'F64':
      return new Float64Array(copy);
    case 'F32':
      return new Float32Array(copy);
    case 'I64':
      return new BigInt64Array(copy);
    case 'I32':
      return new Int32Array(copy);
    case 'I16':
      return new Int16Array(copy);
    case 'I8':
      return new Int8Array(copy);
    case 'U8':
    case 'BOOL':
      return new Uint8Array(copy);
    case 'F16': {
      const half = new Uint16Array(copy);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = f16ToF32(half[i]!);
      return out;
    }
    case 'BF16': {
      const half = new Uint16Array(copy);
      const wide = new Uint32Array(n);
      for (let i = 0; i < n; i++) wide[i] = half[i]! << 16;
      return new Float32Array(wide.buffer);
    }
  }
}

function encode(name: string, tensor: NamedTensor): Uint8Array {
  const { dtype, data } = tensor;
  const n = tensor.shape.reduce((a, b) => a * b, 1);
  if (data.length !== n) fail('SIZE', 'data length does not match the shape', `${n} elements for [${tensor.shape.join(', ')}]`, `${data.length}`, name);
  if (dtype === 'F16' || dtype === 'BF16') {
    const out = new Uint16Array(n);
    if (dtype === 'F16') for (let i = 0; i < n; i++) out[i] = f32ToF16(Number(data[i]));
    else {
      const f32 = Float32Array.from(data as Float32Array);
      const bits = new Uint32Array(f32.buffer);
      // Round to nearest even on the dropped 16 bits; NaN stays NaN.
      for (let i = 0; i < n; i++) {
        const b = bits[i]!;
        out[i] = Number.isNaN(f32[i]) ? (b >>> 16) | 0x40 : (b + 0x7fff + ((b >>> 16) & 1)) >>> 16;
      }
    }
    return new Uint8Array(out.buffer);
  }
  const Typed = { F64: Float64Array, F32: Float32Array, I64: BigInt64Array, I32: Int32Array, I16: Int16Array, I8: Int8Array, U8: Uint8Array, BOOL: Uint8Array }[dtype];
  if (!Typed) fail('DTYPE', 'unknown dtype', DTYPES.join('|'), JSON.stringify(dtype), name);
  if (!(data instanceof Typed)) fail('DTYPE', 'data array does not match dtype', `${Typed.name} for ${dtype}`, data.constructor.name, name);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Parses a safetensors buffer (the format PyTorch and Hugging Face use for weights).
 *
 * @example
 * const { tensors, metadata } = readSafetensors(await readFile('model.safetensors'));
 * tensors['weight_ih_l0'].shape; // [512, 32]
 */
export function readSafetensors(input: Uint8Array | ArrayBuffer): Safetensors {
  const bytes = toBytes('readSafetensors bytes', input);
  const { entries, dataStart } = parseHeader(bytes);
  const dataLength = bytes.length - dataStart;
  const tensors: Record<string, NamedTensor> = {};
  let metadata: Record<string, string> = {};
  const spans: [number, number, string][] = [];
  for (const [name, raw] of Object.entries(entries)) {
    if (name === '__metadata__') {
      const ok = typeof raw === 'object' && raw !== null && Object.values(raw).every((v) => typeof v === 'string');
      if (!ok) fail('HEADER', '__metadata__ must map strings to strings', 'Record<string, string>', JSON.stringify(raw));
      metadata = { ...(raw as Record<string, string>) };
      continue;
    }
    const entry = checkEntry(name, raw, dataLength);
    spans.push([entry.data_offsets[0], entry.data_offsets[1], name]);
    const [begin, end] = entry.data_offsets;
    tensors[name] = { dtype: entry.dtype, shape: entry.shape, data: decode(entry.dtype, bytes.subarray(dataStart + begin, dataStart + end)) };
  }
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [i, [begin, end, name]] of spans.entries()) {
    const previous = spans[i - 1];
    if (previous === undefined) continue;
    const [prevBegin, prevEnd, prevName] = previous;
    if (begin < prevEnd && end > begin && prevEnd > prevBegin) {
      fail('OFFSETS', `data_offsets overlap tensor "${prevName}" [${prevBegin}, ${prevEnd}]`, `begin ≥ ${prevEnd}`, `[${begin}, ${end}]`, name);
    }
  }
  return { tensors, metadata };
}

/**
 * Serialises named tensors (and optional string metadata) to safetensors bytes. Tensors are laid out in
 * name order and the header is padded to 8 bytes, as the reference implementation does.
 */
export function writeSafetensors(tensors: Record<string, NamedTensor>, metadata?: Record<string, string>): Uint8Array {
  assertObject('writeSafetensors tensors', tensors, 'a record of { dtype, shape, data }');
  if (metadata !== undefined) assertObject('writeSafetensors metadata', metadata, 'a record of strings');
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') fail('HEADER', `metadata "${k}" is not a string`, 'string', typeof v);
    header['__metadata__'] = metadata;
  }
  const payloads: Uint8Array[] = [];
  let offset = 0;
  for (const [name, tensor] of names.map((n) => [n, tensors[n]] as const)) {
    if (name === '__metadata__') fail('HEADER', 'reserved tensor name', 'any name but __metadata__', name);
    assertObject(`writeSafetensors tensor "${name}"`, tensor, 'a { dtype, shape, data } record');
    if (!Array.isArray(tensor.shape) || !tensor.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail('HEADER', 'bad shape', 'an array of non-negative integers', JSON.stringify(tensor.shape), name);
    }
    if (!ArrayBuffer.isView(tensor.data)) fail('DTYPE', 'data is not a typed array', 'a typed array', describeValue(tensor.data), name);
    if (!DTYPES.includes(tensor.dtype)) fail('DTYPE', 'unknown dtype', DTYPES.join('|'), JSON.stringify(tensor.dtype), name);
    const payload = encode(name, tensor);
    header[name] = { dtype: tensor.dtype, shape: [...tensor.shape], data_offsets: [offset, offset + payload.length] };
    payloads.push(payload);
    offset += payload.length;
  }
  let json = JSON.stringify(header);
  const headerBytesLength = new TextEncoder().encode(json).length;
  json += ' '.repeat((8 - (headerBytesLength % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const payload of payloads) {
    out.set(payload, at);
    at += payload.length;
  }
  return out;
}
