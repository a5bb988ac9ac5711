/**
 * The ONNX messages this package reads and writes, as plain objects, with their protobuf encoders and decoders.
 * Field numbers are onnx.proto's (onnx 1.12, IR version 8). Unknown fields are skipped on read.
 */
import { OnnxFormatError } from './errors.js';
import {
  asBytes,
  asFloat,
  asInt,
  asString,
  ProtoReader,
  ProtoWriter,
  pushDoubles,
  pushFloats,
  pushInts,
} from './protobuf-wire.js';

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, STRING: 8, BOOL: 9, DOUBLE: 11 } as const;

/** AttributeProto.AttributeType values. */
export const AttrType = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
} as const;

export interface TensorProto {
  name: string;
  dims: number[];
  dataType: number;
  /** Little-endian element bytes (how this package writes every tensor). */
  rawData?: Uint8Array;
  floatData: number[];
  int32Data: number[];
  int64Data: number[];
  doubleData: number[];
  /** DataLocation EXTERNAL (1) is refused on read: weights must be inside the file. */
  dataLocation: number;
}

export interface AttributeProto {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProto;
  g?: GraphProto;
  floats: number[];
  ints: number[];
  strings: Uint8Array[];
}

export interface NodeProto {
  inputs: string[];
  outputs: string[];
  name: string;
  opType: string;
  domain: string;
  attributes: AttributeProto[];
  docString: string;
}

/** A tensor type's shape: a number is a fixed size, a string a named dynamic axis, null an unknown one. */
export type Dim = number | string | null;

export interface ValueInfoProto {
  name: string;
  /** Element type (DataType); 0 when the value has no tensor type. */
  elemType: number;
  /** null when the shape is not given. */
  shape: Dim[] | null;
  docString: string;
}

export interface GraphProto {
  name: string;
  nodes: NodeProto[];
  initializers: TensorProto[];
  inputs: ValueInfoProto[];
  outputs: ValueInfoProto[];
  valueInfo: ValueInfoProto[];
  docString: string;
}

export interface OpsetId {
  domain: string;
  version: number;
}

export interface ModelProto {
  irVersion: number;
  opsetImport: OpsetId[];
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number;
  docString: string;
  graph: GraphProto;
  metadataProps: { key: string; value: string }[];
}

// ---------------------------------------------------------------- encode

function writeTensor(w: ProtoWriter, t: TensorProto): void {
  w.packedInts(1, t.dims);
  w.intField(2, t.dataType);
  w.packedFloats(4, t.floatData);
  w.packedInts(5, t.int32Data);
  w.packedInts(7, t.int64Data);
  if (t.name) w.stringField(8, t.name);
  if (t.rawData) w.bytesField(9, t.rawData);
  if (t.doubleData.length > 0) {
    const b = new Uint8Array(t.doubleData.length * 8);
    const v = new DataView(b.buffer);
    for (let i = 0; i < t.doubleData.length; i++) v.setFloat64(i * 8, t.doubleData[i]!, true);
    w.bytesField(10, b);
  }
}

function writeAttribute(w: ProtoWriter, a: AttributeProto): void {
  w.stringField(1, a.name);
  if (a.f !== undefined) w.floatField(2, a.f);
  if (a.i !== undefined) w.intField(3, a.i);
  if (a.s !== undefined) w.bytesField(4, a.s);
  if (a.t !== undefined) {
    const t = a.t;
    w.messageField(5, (m) => writeTensor(m, t));
  }
  if (a.g !== undefined) {
    const g = a.g;
    w.messageField(6, (m) => writeGraph(m, g));
  }
  w.packedFloats(7, a.floats);
  w.packedInts(8, a.ints);
  for (const s of a.strings) w.bytesField(9, s);
  w.intField(20, a.type);
}

function writeNode(w: ProtoWriter, n: NodeProto): void {
  for (const i of n.inputs) w.stringField(1, i);
  for (const o of n.outputs) w.stringField(2, o);
  if (n.name) w.stringField(3, n.name);
  w.stringField(4, n.opType);
  for (const a of n.attributes) w.messageField(5, (m) => writeAttribute(m, a));
  if (n.docString) w.stringField(6, n.docString);
  if (n.domain) w.stringField(7, n.domain);
}

function writeValueInfo(w: ProtoWriter, v: ValueInfoProto): void {
  w.stringField(1, v.name);
  if (v.elemType !== 0) {
    w.messageField(2, (type) =>
      type.messageField(1, (tensor) => {
        tensor.intField(1, v.elemType);
        if (v.shape) {
          const shape = v.shape;
          tensor.messageField(2, (s) => {
            for (const d of shape) {
              s.messageField(1, (dim) => {
                if (typeof d === 'number') dim.intField(1, d);
                else if (typeof d === 'string') dim.stringField(2, d);
              });
            }
          });
        }
      }),
    );
  }
  if (v.docString) w.stringField(3, v.docString);
}

function writeGraph(w: ProtoWriter, g: GraphProto): void {
  for (const n of g.nodes) w.messageField(1, (m) => writeNode(m, n));
  w.stringField(2, g.name);
  for (const t of g.initializers) w.messageField(5, (m) => writeTensor(m, t));
  if (g.docString) w.stringField(10, g.docString);
  for (const v of g.inputs) w.messageField(11, (m) => writeValueInfo(m, v));
  for (const v of g.outputs) w.messageField(12, (m) => writeValueInfo(m, v));
  for (const v of g.valueInfo) w.messageField(13, (m) => writeValueInfo(m, v));
}

/** Serialises a ModelProto to its protobuf bytes. */
export function encodeModel(model: ModelProto): Uint8Array {
  const w = new ProtoWriter();
  w.intField(1, model.irVersion);
  w.stringField(2, model.producerName);
  w.stringField(3, model.producerVersion);
  if (model.domain) w.stringField(4, model.domain);
  w.intField(5, model.modelVersion);
  if (model.docString) w.stringField(6, model.docString);
  w.messageField(7, (m) => writeGraph(m, model.graph));
  for (const o of model.opsetImport) {
    w.messageField(8, (m) => {
      if (o.domain) m.stringField(1, o.domain);
      m.intField(2, o.version);
    });
  }
  for (const p of model.metadataProps) {
    w.messageField(14, (m) => {
      m.stringField(1, p.key);
      m.stringField(2, p.value);
    });
  }
  return w.finish();
}

// ---------------------------------------------------------------- decode

function readTensor(bytes: Uint8Array, what: string): TensorProto {
  const t: TensorProto = {
    name: '',
    dims: [],
    dataType: 0,
    floatData: [],
    int32Data: [],
    int64Data: [],
    doubleData: [],
    dataLocation: 0,
  };
  for (const f of new ProtoReader(bytes, what).fields()) {
    switch (f.field) {
      case 1:
        pushInts(f, t.dims, `${what}.dims`);
        break;
      case 2:
        t.dataType = asInt(f, `${what}.data_type`);
        break;
      case 4:
        pushFloats(f, t.floatData, `${what}.float_data`);
        break;
      case 5:
        pushInts(f, t.int32Data, `${what}.int32_data`);
        break;
      case 7:
        pushInts(f, t.int64Data, `${what}.int64_data`);
        break;
      case 8:
        t.name = asString(f, `${what}.name`);
        break;
      case 9:
        t.rawData = asBytes(f, `${what}.raw_data`);
        break;
      case 10:
        pushDoubles(f, t.doubleData, `${what}.double_data`);
        break;
      case 14:
        t.dataLocation = asInt(f, `${what}.data_location`);
        break;
    }
  }
  return t;
}

function readAttribute(bytes: Uint8Array, what: string): AttributeProto {
  const a: AttributeProto = { name: '', type: 0, floats: [], ints: [], strings: [] };
  for (const f of new ProtoReader(bytes, what).fields()) {
    switch (f.field) {
      case 1:
        a.name = asString(f, `${what}.name`);
        break;
      case 2:
        a.f = asFloat(f, `${what}.f`);
        break;
      case 3:
        a.i = asInt(f, `${what}.i`);
        break;
      case 4:
        a.s = asBytes(f, `${what}.s`);
        break;
      case 5:
        a.t = readTensor(asBytes(f, `${what}.t`), `${what}.t`);
        break;
      case 6:
        a.g = readGraph(asBytes(f, `${what}.g`), `${what}.g`);
        break;
      case 7:
        pushFloats(f, a.floats, `${what}.floats`);
        break;
      case 8:
        pushInts(f, a.ints, `${what}.ints`);
        break;
      case 9:
        a.strings.push(asBytes(f, `${what}.strings`));
        break;
      case 20:
        a.type = asInt(f, `${what}.type`);
        break;
    }
  }
  return a;
}

function readNode(bytes: Uint8Array, what: string): NodeProto {
  const n: NodeProto = { inputs: [], outputs: [], name: '', opType: '', domain: '', attributes: [], docString: '' };
  for (const f of new ProtoReader(bytes, what).fields()) {
    switch (f.field) {
      case 1:
        n.inputs.push(asString(f, `${what}.input`));
        break;
      case 2:
        n.outputs.push(asString(f, `${what}.output`));
        break;
      case 3:
        n.name = asString(f, `${what}.name`);
        break;
      case 4:
        n.opType = asString(f, `${what}.op_type`);
        break;
      case 5:
        n.attributes.push(readAttribute(asBytes(f, `${what}.attribute`), `${what}.attribute[${n.attributes.length}]`));
        break;
      case 6:
        n.docString = asString(f, `${what}.doc_string`);
        break;
      case 7:
        n.domain = asString(f, `${what}.domain`);
        break;
    }
  }
  return n;
}

function readValueInfo(bytes: Uint8Array, what: string): ValueInfoProto {
  const v: ValueInfoProto = { name: '', elemType: 0, shape: null, docString: '' };
  for (const f of new ProtoReader(bytes, what).fields()) {
    if (f.field === 1) v.name = asString(f, `${what}.name`);
    else if (f.field === 3) v.docString = asString(f, `${what}.doc_string`);
    else if (f.field === 2) {
      for (const tf of new ProtoReader(asBytes(f, `${what}.type`), `${what}.type`).fields()) {
        if (tf.field !== 1) continue; // sequence/map/optional types are not used by recurrent models
        for (const tt of new ProtoReader(asBytes(tf, `${what}.type.tensor_type`), `${what}.type.tensor_type`).fields()) {
          if (tt.field === 1) v.elemType = asInt(tt, `${what}.type.tensor_type.elem_type`);
          else if (tt.field === 2) {
            v.shape = [];
            for (const sd of new ProtoReader(asBytes(tt, `${what}.shape`), `${what}.shape`).fields()) {
              if (sd.field !== 1) continue;
              let dim: Dim = null;
              for (const df of new ProtoReader(asBytes(sd, `${what}.shape.dim`), `${what}.shape.dim`).fields()) {
                if (df.field === 1) dim = asInt(df, `${what}.shape.dim.dim_value`);
                else if (df.field === 2) dim = asString(df, `${what}.shape.dim.dim_param`);
              }
              v.shape.push(dim);
            }
          }
        }
      }
    }
  }
  return v;
}

function readGraph(bytes: Uint8Array, what: string): GraphProto {
  const g: GraphProto = { name: '', nodes: [], initializers: [], inputs: [], outputs: [], valueInfo: [], docString: '' };
  for (const f of new ProtoReader(bytes, what).fields()) {
    switch (f.field) {
      case 1:
        g.nodes.push(readNode(asBytes(f, `${what}.node`), `${what}.node[${g.nodes.length}]`));
        break;
      case 2:
        g.name = asString(f, `${what}.name`);
        break;
      case 5:
        g.initializers.push(
          readTensor(asBytes(f, `${what}.initializer`), `${what}.initializer[${g.initializers.length}]`),
        );
        break;
      case 10:
        g.docString = asString(f, `${what}.doc_string`);
        break;
      case 11:
        g.inputs.push(readValueInfo(asBytes(f, `${what}.input`), `${what}.input[${g.inputs.length}]`));
        break;
      case 12:
        g.outputs.push(readValueInfo(asBytes(f, `${what}.output`), `${what}.output[${g.outputs.length}]`));
        break;
      case 13:
        g.valueInfo.push(readValueInfo(asBytes(f, `${what}.value_info`), `${what}.value_info[${g.valueInfo.length}]`));
        break;
    }
  }
  return g;
}

/** Parses ModelProto bytes. Throws OnnxFormatError (code GATED_ONNX_CORRUPT) on anything malformed. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const m: ModelProto = {
    irVersion: 0,
    opsetImport: [],
    producerName: '',
    producerVersion: '',
    domain: '',
    modelVersion: 0,
    docString: '',
    graph: { name: '', nodes: [], initializers: [], inputs: [], outputs: [], valueInfo: [], docString: '' },
    metadataProps: [],
  };
  let sawGraph = false;
  for (const f of new ProtoReader(bytes, 'ModelProto').fields()) {
    switch (f.field) {
      case 1:
        m.irVersion = asInt(f, 'ModelProto.ir_version');
        break;
      case 2:
        m.producerName = asString(f, 'ModelProto.producer_name');
        break;
      case 3:
        m.producerVersion = asString(f, 'ModelProto.producer_version');
        break;
      case 4:
        m.domain = asString(f, 'ModelProto.domain');
        break;
      case 5:
        m.modelVersion = asInt(f, 'ModelProto.model_version');
        break;
      case 6:
        m.docString = asString(f, 'ModelProto.doc_string');
        break;
      case 7:
        m.graph = readGraph(asBytes(f, 'ModelProto.graph'), 'ModelProto.graph');
        sawGraph = true;
        break;
      case 8: {
        const o: OpsetId = { domain: '', version: 0 };
        for (const of of new ProtoReader(asBytes(f, 'ModelProto.opset_import'), 'ModelProto.opset_import').fields()) {
          if (of.field === 1) o.domain = asString(of, 'ModelProto.opset_import.domain');
          else if (of.field === 2) o.version = asInt(of, 'ModelProto.opset_import.version');
        }
        m.opsetImport.push(o);
        break;
      }
      case 14: {
        const p = { key: '', value: '' };
        for (const pf of new ProtoReader(asBytes(f, 'ModelProto.metadata_props'), 'ModelProto.metadata_props').fields()) {
          if (pf.field === 1) p.key = asString(pf, 'ModelProto.metadata_props.key');
          else if (pf.field === 2) p.value = asString(pf, 'ModelProto.metadata_props.value');
        }
        m.metadataProps.push(p);
        break;
      }
    }
  }
  if (!sawGraph || m.irVersion === 0) {
    throw new OnnxFormatError(
      'ModelProto',
      'an ir_version and a graph',
      `${m.irVersion === 0 ? 'no ir_version' : `ir_version ${m.irVersion}`}, ${sawGraph ? 'a graph' : 'no graph'}`,
    );
  }
  return m;
}

// ---------------------------------------------------------------- tensor data

const ELEMENT_BYTES: Record<number, number> = { 1: 4, 2: 1, 3: 1, 6: 4, 7: 8, 9: 1, 11: 8 };

function elementCount(t: TensorProto): number {
  return t.dims.reduce((a, b) => a * b, 1);
}

/** The tensor's values as numbers (float/double/int32/int64/uint8/int8/bool), checked against its dims. */
export function tensorValues(t: TensorProto, what: string): number[] {
  const n = elementCount(t);
  if (t.dataLocation === 1) {
    throw new OnnxFormatError(`${what} "${t.name}"`, 'weights stored inside the model', 'external data');
  }
  let values: number[];
  if (t.rawData) {
    const size = ELEMENT_BYTES[t.dataType];
    if (size === undefined) throw new OnnxFormatError(`${what} "${t.name}"`, 'a numeric data type', `data_type ${t.dataType}`);
    const raw = t.rawData;
    if (raw.length !== n * size) {
      throw new OnnxFormatError(`${what} "${t.name}".raw_data`, `${n * size} bytes for dims [${t.dims}]`, `${raw.length} bytes`);
    }
    const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
    values = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      switch (t.dataType) {
        case DataType.FLOAT:
          values[i] = view.getFloat32(i * 4, true);
          break;
        case DataType.DOUBLE:
          values[i] = view.getFloat64(i * 8, true);
          break;
        case DataType.INT32:
          values[i] = view.getInt32(i * 4, true);
          break;
        case DataType.INT64:
          values[i] = Number(view.getBigInt64(i * 8, true));
          break;
        case DataType.INT8:
          values[i] = view.getInt8(i);
          break;
        default:
          values[i] = view.getUint8(i);
      }
    }
  } else {
    switch (t.dataType) {
      case DataType.FLOAT:
        values = t.floatData;
        break;
      case DataType.DOUBLE:
        values = t.doubleData;
        break;
      case DataType.INT64:
        values = t.int64Data;
        break;
      case DataType.INT32:
      case DataType.INT8:
      case DataType.UINT8:
      case DataType.BOOL:
        values = t.int32Data;
        break;
      default:
        throw new OnnxFormatError(`${what} "${t.name}"`, 'a numeric data type', `data_type ${t.dataType}`);
    }
    if (values.length !== n) {
      throw new OnnxFormatError(`${what} "${t.name}"`, `${n} values for dims [${t.dims}]`, `${values.length} values`);
    }
  }
  return values;
}

/** A float32 tensor proto holding `data` (written as raw little-endian bytes). */
export function floatTensor(name: string, dims: readonly number[], data: ArrayLike<number>): TensorProto {
  const n = dims.reduce((a, b) => a * b, 1);
  if (data.length !== n) throw new RangeError(`floatTensor ${name}: ${data.length} values for dims [${dims}]`);
  const f32 = Float32Array.from(data);
  return {
    name,
    dims: [...dims],
    dataType: DataType.FLOAT,
    rawData: new Uint8Array(f32.buffer),
    floatData: [],
    int32Data: [],
    int64Data: [],
    doubleData: [],
    dataLocation: 0,
  };
}

/** An int64 tensor proto (shapes, axes, indices). */
export function int64Tensor(name: string, dims: readonly number[], data: readonly number[]): TensorProto {
  const b = new BigInt64Array(data.map((v) => BigInt(v)));
  return {
    name,
    dims: [...dims],
    dataType: DataType.INT64,
    rawData: new Uint8Array(b.buffer),
    floatData: [],
    int32Data: [],
    int64Data: [],
    doubleData: [],
    dataLocation: 0,
  };
}
