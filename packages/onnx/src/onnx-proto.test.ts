import { describe, expect, it } from 'vitest';
import { GraphBuilder } from './graph-builder.js';
import { OnnxFormatError } from './errors.js';
import { DataType, decodeModel, encodeModel, floatTensor, int64Tensor, tensorValues } from './onnx-proto.js';
import { ProtoReader, ProtoWriter } from './protobuf-wire.js';
import { runOrt } from './test-utils/ort.js';

function tinyModel() {
  const g = new GraphBuilder('tiny');
  const x = g.input('x', DataType.FLOAT, ['batch', 3]);
  const w = g.initializer(floatTensor('w', [3, 2], [1, 2, 3, 4, 5, 6]));
  const y = g.op('MatMul', [x, w], 'y');
  const r = g.op('Reshape', [y, g.int64('shape', [-1])], 'flat');
  g.rename(r, 'out');
  g.output('out', DataType.FLOAT, [null]);
  return g.model({
    irVersion: 8,
    opset: 14,
    producerName: 'test',
    producerVersion: '1',
    docString: 'doc ✓',
    metadata: { a: 'b', vocab: '["x","ÿ"]' },
  });
}

describe('the protobuf layer', () => {
  it('round-trips varints across the int64 range, including negatives', () => {
    const values = [0, 1, 127, 128, 300, 2 ** 31, 2 ** 53 - 1, -1, -(2 ** 31), Number.MIN_SAFE_INTEGER];
    const w = new ProtoWriter();
    values.forEach((v, i) => {
      w.intField(i + 1, v);
    });
    const read = [...new ProtoReader(w.finish(), 'test').fields()].map((f) => f.value);
    expect(read).toEqual(values);
  });

  it('decodes what it encodes: model fields, nodes, attributes, initializers and dynamic shapes', () => {
    const m = tinyModel();
    const back = decodeModel(encodeModel(m));
    expect(back.irVersion).toBe(8);
    expect(back.opsetImport).toEqual([{ domain: '', version: 14 }]);
    expect(back.docString).toBe('doc ✓');
    expect(back.metadataProps).toEqual(m.metadataProps);
    expect(back.graph.inputs[0]).toEqual({ name: 'x', elemType: DataType.FLOAT, shape: ['batch', 3], docString: '' });
    expect(back.graph.outputs[0]!.shape).toEqual([null]);
    expect(back.graph.nodes.map((n) => [n.opType, n.inputs, n.outputs])).toEqual([
      ['MatMul', ['x', 'w'], ['y']],
      ['Reshape', ['y', 'shape'], ['out']],
    ]);
    expect(tensorValues(back.graph.initializers[0]!, 'w')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(tensorValues(back.graph.initializers[1]!, 'shape')).toEqual([-1]);
    expect(encodeModel(back)).toEqual(encodeModel(m));
  });

  it('writes models onnxruntime loads and runs', async () => {
    const out = await runOrt('node', encodeModel(tinyModel()), {
      x: { type: 'float32', data: [1, 0, 1, 0, 1, 0], dims: [2, 3] },
    });
    expect(Array.from(out['out']!.data)).toEqual([6, 8, 3, 4]);
  });

  it('reads int64 and float tensors stored as typed fields instead of raw bytes', () => {
    const { rawData: _, ...noRaw } = int64Tensor('i', [3], [0, 0, 0]);
    expect(tensorValues({ ...noRaw, int64Data: [5, -7, 2 ** 40] }, 'i')).toEqual([5, -7, 2 ** 40]);
    const { rawData: __, ...noRawF } = floatTensor('f', [2], [0, 0]);
    expect(tensorValues({ ...noRawF, floatData: [0.5, -2] }, 'f')).toEqual([0.5, -2]);
  });

  it('rejects corrupt bytes with GATED_ONNX_CORRUPT naming where it failed', () => {
    const bytes = encodeModel(tinyModel());
    const cases = [bytes.subarray(0, bytes.length - 7), new Uint8Array([0xff, 0xff, 0xff]), new TextEncoder().encode('not an onnx file at all')];
    for (const c of cases) {
      let err: unknown;
      try {
        decodeModel(c);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(OnnxFormatError);
      expect((err as OnnxFormatError).code).toBe('GATED_ONNX_CORRUPT');
      expect((err as OnnxFormatError).message).toMatch(/ModelProto/);
    }
  });

  it('rejects a raw_data size that does not match the dims', () => {
    const t = floatTensor('w', [2], [1, 2]);
    expect(() => tensorValues({ ...t, dims: [3] }, 'initializer')).toThrow(/12 bytes for dims \[3\]/);
  });
});
