/**
 * The protobuf wire format, just the parts ONNX messages use: varints (int32/int64/enum/bool), 32- and 64-bit
 * fixed values (float/double), and length-delimited fields (strings, bytes, sub-messages, packed repeats).
 * Spec: https://protobuf.dev/programming-guides/encoding/
 */
import { OnnxFormatError } from './errors.js';

/** Wire types of the protobuf encoding. */
export const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: true });

/** Appends protobuf fields to a growable buffer. Field writers skip nothing: callers decide what is default. */
export class ProtoWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private byte(b: number): void {
    this.reserve(1);
    this.buf[this.len++] = b;
  }

  /** A varint of an integer in the int64 range; negative values take 10 bytes (two's complement), as protobuf does. */
  varint(value: number | bigint): void {
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value)) throw new RangeError(`varint: ${value} is not a safe integer`);
      if (value >= 0) {
        let v = value;
        while (v >= 0x80) {
          this.byte((v % 0x80) | 0x80);
          v = Math.floor(v / 0x80);
        }
        this.byte(v);
        return;
      }
    }
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  bytesRaw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  /** int32/int64/enum/bool field. */
  intField(field: number, value: number | bigint): void {
    this.tag(field, WIRE.varint);
    this.varint(value);
  }

  floatField(field: number, value: number): void {
    this.tag(field, WIRE.fixed32);
    this.reserve(4);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 4).setFloat32(0, value, true);
    this.len += 4;
  }

  bytesField(field: number, bytes: Uint8Array): void {
    this.tag(field, WIRE.bytes);
    this.varint(bytes.length);
    this.bytesRaw(bytes);
  }

  stringField(field: number, value: string): void {
    this.bytesField(field, textEncoder.encode(value));
  }

  /** A sub-message written by `write` into its own writer, then length-prefixed. */
  messageField(field: number, write: (w: ProtoWriter) => void): void {
    const sub = new ProtoWriter();
    write(sub);
    this.bytesField(field, sub.finish());
  }

  packedInts(field: number, values: readonly (number | bigint)[]): void {
    if (values.length === 0) return;
    const sub = new ProtoWriter();
    for (const v of values) sub.varint(v);
    this.bytesField(field, sub.finish());
  }

  packedFloats(field: number, values: readonly number[]): void {
    if (values.length === 0) return;
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
    this.bytesField(field, bytes);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** One decoded field: its number, wire type and value (a number/bigint for varints, bytes for the rest). */
export interface ProtoField {
  readonly field: number;
  readonly wire: number;
  /** varint: the value (number when safe, else bigint); fixed32/fixed64/bytes: the raw bytes. */
  readonly value: number | bigint | Uint8Array;
}

/** Reads the fields of one message, in order. `what` names the message in errors ("ModelProto.graph"). */
export class ProtoReader {
  private pos = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {}

  private fail(expected: string): never {
    throw new OnnxFormatError(this.what, expected, `byte ${this.pos} of ${this.bytes.length}`);
  }

  private readVarint(): number | bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.bytes.length) this.fail('a complete varint');
      const b = this.bytes[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        const signed = BigInt.asIntN(64, result);
        return signed >= BigInt(Number.MIN_SAFE_INTEGER) && signed <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(signed)
          : signed;
      }
      shift += 7n;
    }
    return this.fail('a varint of at most 10 bytes');
  }

  private take(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.bytes.length) this.fail(`${n} more bytes`);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  *fields(): Generator<ProtoField> {
    while (this.pos < this.bytes.length) {
      const key = this.readVarint();
      const k = Number(key);
      const field = Math.floor(k / 8);
      const wire = k % 8;
      if (field <= 0) this.fail('a field number ≥ 1');
      switch (wire) {
        case WIRE.varint:
          yield { field, wire, value: this.readVarint() };
          break;
        case WIRE.fixed64:
          yield { field, wire, value: this.take(8) };
          break;
        case WIRE.fixed32:
          yield { field, wire, value: this.take(4) };
          break;
        case WIRE.bytes:
          yield { field, wire, value: this.take(Number(this.readVarint())) };
          break;
        default:
          this.fail(`a known wire type (0, 1, 2, 5), found ${wire} for field ${field}`);
      }
    }
  }
}

/** Field value helpers: each checks the wire type so a corrupt file is an error, not a wrong number. */
export function asInt(f: ProtoField, what: string): number {
  if (f.wire !== WIRE.varint) throw new OnnxFormatError(what, 'a varint field', `wire type ${f.wire}`);
  const v = f.value;
  if (typeof v === 'bigint') throw new OnnxFormatError(what, 'an integer within ±2^53', v.toString());
  return v as number;
}

export function asBytes(f: ProtoField, what: string): Uint8Array {
  if (f.wire !== WIRE.bytes) throw new OnnxFormatError(what, 'a length-delimited field', `wire type ${f.wire}`);
  return f.value as Uint8Array;
}

export function asString(f: ProtoField, what: string): string {
  try {
    return textDecoder.decode(asBytes(f, what));
  } catch (e) {
    if (e instanceof OnnxFormatError) throw e;
    throw new OnnxFormatError(what, 'a UTF-8 string', 'invalid UTF-8 bytes');
  }
}

export function asFloat(f: ProtoField, what: string): number {
  if (f.wire !== WIRE.fixed32) throw new OnnxFormatError(what, 'a 32-bit float field', `wire type ${f.wire}`);
  const b = f.value as Uint8Array;
  return new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);
}

/** A repeated varint field, packed or not; appends to `out`. */
export function pushInts(f: ProtoField, out: number[], what: string): void {
  if (f.wire === WIRE.varint) {
    out.push(asInt(f, what));
    return;
  }
  for (const v of readPackedVarints(asBytes(f, what), what)) out.push(v);
}

function* readPackedVarints(bytes: Uint8Array, what: string): Generator<number> {
  let pos = 0;
  while (pos < bytes.length) {
    let result = 0n;
    let shift = 0n;
    let done = false;
    for (let i = 0; i < 10 && pos < bytes.length; i++) {
      const b = bytes[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) {
        done = true;
        break;
      }
    }
    if (!done) throw new OnnxFormatError(what, 'complete packed varints', `a truncated varint at byte ${pos}`);
    const signed = BigInt.asIntN(64, result);
    if (signed > BigInt(Number.MAX_SAFE_INTEGER) || signed < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new OnnxFormatError(what, 'integers within ±2^53', signed.toString());
    }
    yield Number(signed);
  }
}

/** A repeated float field, packed or not; appends to `out`. */
export function pushFloats(f: ProtoField, out: number[], what: string): void {
  if (f.wire === WIRE.fixed32) {
    out.push(asFloat(f, what));
    return;
  }
  const b = asBytes(f, what);
  if (b.length % 4 !== 0) throw new OnnxFormatError(what, 'packed floats (a multiple of 4 bytes)', `${b.length} bytes`);
  const view = new DataView(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < b.length; i += 4) out.push(view.getFloat32(i, true));
}

/** A repeated double field, packed or not; appends to `out`. */
export function pushDoubles(f: ProtoField, out: number[], what: string): void {
  const b = f.wire === WIRE.fixed64 ? (f.value as Uint8Array) : asBytes(f, what);
  if (b.length % 8 !== 0) throw new OnnxFormatError(what, 'packed doubles (a multiple of 8 bytes)', `${b.length} bytes`);
  const view = new DataView(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < b.length; i += 8) out.push(view.getFloat64(i, true));
}
