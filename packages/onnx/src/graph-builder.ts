/**
 * A small builder for ONNX graphs: unique value names, typed attributes, int64 constants, and a ModelProto at
 * the end. Every graph this package exports goes through it.
 */
import {
  AttrType,
  type AttributeProto,
  type Dim,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
  int64Tensor,
} from './onnx-proto.js';

/** An attribute value: integer → INT, integer[] → INTS, string → STRING, string[] → STRINGS, {float} → FLOAT. */
export type AttrValue = number | readonly number[] | string | readonly string[] | { readonly float: number };

const encoder = new TextEncoder();

function toAttribute(name: string, v: AttrValue): AttributeProto {
  const a: AttributeProto = { name, type: 0, floats: [], ints: [], strings: [] };
  if (typeof v === 'number') {
    a.type = AttrType.INT;
    a.i = v;
  } else if (typeof v === 'string') {
    a.type = AttrType.STRING;
    a.s = encoder.encode(v);
  } else if ('float' in v) {
    a.type = AttrType.FLOAT;
    a.f = v.float;
  } else if (v.length > 0 && typeof v[0] === 'string') {
    a.type = AttrType.STRINGS;
    a.strings = (v as readonly string[]).map((s) => encoder.encode(s));
  } else {
    a.type = AttrType.INTS;
    a.ints = [...(v as readonly number[])];
  }
  return a;
}

/** The fresh value names node() returns: one per requested output, in order (a tuple stays a tuple). */
type OutputNames<Outputs extends readonly string[]> = { -readonly [K in keyof Outputs]: string };

/** Model-level fields written around the graph. */
export interface ModelInfo {
  readonly irVersion: number;
  readonly opset: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly docString: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export class GraphBuilder {
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly inputs: ValueInfoProto[] = [];
  private readonly outputs: ValueInfoProto[] = [];
  private readonly used = new Set<string>();
  private counter = 0;

  constructor(private readonly name: string) {}

  /** Keeps `names` (the graph's input and output names) from being handed out by fresh(). */
  reserve(names: readonly string[]): void {
    for (const n of names) this.used.add(n);
  }

  /** A value name not used yet, derived from `hint`. */
  fresh(hint: string): string {
    let name = hint;
    while (this.used.has(name)) name = `${hint}_${++this.counter}`;
    this.used.add(name);
    return name;
  }

  input(name: string, elemType: number, shape: readonly Dim[], docString = ''): string {
    this.used.add(name);
    this.inputs.push({ name, elemType, shape: [...shape], docString });
    return name;
  }

  output(name: string, elemType: number, shape: readonly Dim[], docString = ''): void {
    this.outputs.push({ name, elemType, shape: [...shape], docString });
  }

  /** Adds an initializer under a fresh name derived from the tensor's name; returns the name used. */
  initializer(tensor: TensorProto): string {
    const name = this.fresh(tensor.name);
    this.initializers.push({ ...tensor, name });
    return name;
  }

  int64(hint: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.initializer(int64Tensor(hint, dims, values));
  }

  /**
   * Adds a node. `outputs` are name hints (made unique) or exact names when `exactOutputs` is set (graph
   * outputs). Returns the output names in order.
   */
  node<const Outputs extends readonly string[]>(
    opType: string,
    inputs: readonly string[],
    outputs: Outputs,
    attributes: Readonly<Record<string, AttrValue>> = {},
    exactOutputs = false,
  ): OutputNames<Outputs> {
    const outs = outputs.map((o) => {
      if (exactOutputs) {
        this.used.add(o);
        return o;
      }
      return this.fresh(o);
    });
    // Trailing empty optional inputs are dropped; inner ones stay as "" (ONNX's "absent").
    const ins = [...inputs];
    while (ins.length > 0 && ins[ins.length - 1] === '') ins.pop();
    this.nodes.push({
      inputs: ins,
      outputs: outs,
      name: this.fresh(`${opType}_node`),
      opType,
      domain: '',
      attributes: Object.entries(attributes).map(([k, v]) => toAttribute(k, v)),
      docString: '',
    });
    // map keeps the length, so the names line up one to one with `outputs`.
    return outs as OutputNames<Outputs>;
  }

  /** Like node() but for a single output; returns its name. */
  op(opType: string, inputs: readonly string[], hint: string, attributes: Readonly<Record<string, AttrValue>> = {}): string {
    const [out] = this.node(opType, inputs, [hint], attributes);
    return out;
  }

  /** Renames the producer of `value` to write `name` instead (to expose an inner value as a graph output). */
  rename(value: string, name: string): void {
    if (!this.nodes.some((n) => n.outputs.includes(value))) throw new Error(`rename: no node writes ${value}`);
    for (const n of this.nodes) {
      n.outputs = n.outputs.map((o) => (o === value ? name : o));
      n.inputs = n.inputs.map((i) => (i === value ? name : i));
    }
  }

  graph(): GraphProto {
    return {
      name: this.name,
      nodes: this.nodes,
      initializers: this.initializers,
      inputs: this.inputs,
      outputs: this.outputs,
      valueInfo: [],
      docString: '',
    };
  }

  model(info: ModelInfo): ModelProto {
    return {
      irVersion: info.irVersion,
      opsetImport: [{ domain: '', version: info.opset }],
      producerName: info.producerName,
      producerVersion: info.producerVersion,
      domain: '',
      modelVersion: 1,
      docString: info.docString,
      graph: this.graph(),
      metadataProps: Object.entries(info.metadata).map(([key, value]) => ({ key, value })),
    };
  }
}
