import { escapeXml, formatTick } from './svg.js';

/** Options of {@link heatmap}. */
export interface HeatmapOptions {
  readonly label: string;
  /** Value range of the colour scale; a gate is [0, 1], the cell state symmetric around 0. */
  readonly min: number;
  readonly max: number;
  /** `sequential` (gates, dark→bright) or `diverging` (cell state, blue–white–red). */
  readonly scale: 'sequential' | 'diverging';
}

const SEQUENTIAL: readonly [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];
const DIVERGING: readonly [number, number, number][] = [
  [33, 102, 172],
  [247, 247, 247],
  [178, 24, 43],
];

/** The colour of u ∈ [0, 1] on a piecewise-linear palette. */
export function paletteColour(u: number, scale: HeatmapOptions['scale']): string {
  const stops = scale === 'sequential' ? SEQUENTIAL : DIVERGING;
  const clamped = Math.min(1, Math.max(0, Number.isFinite(u) ? u : 0));
  const pos = clamped * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(pos));
  const f = pos - i;
  const a = stops[i] ?? [0, 0, 0];
  const b = stops[i + 1] ?? a;
  const c = a.map((v, k) => Math.round(v + ((b[k] ?? v) - v) * f));
  return `rgb(${c.join(',')})`;
}

/**
 * A units × time heatmap of one example's activations as an SVG string: `values` is [steps, units] row-major,
 * time runs left to right, unit 0 at the top.
 */
export function heatmap(values: Float32Array, steps: number, units: number, options: HeatmapOptions): string {
  const cell = 8;
  const left = 30;
  const bottom = 18;
  const legend = 16;
  const width = left + steps * cell;
  const height = units * cell + bottom + legend;
  const rects: string[] = [];
  const span = options.max - options.min || 1;
  for (let t = 0; t < steps; t++) {
    for (let u = 0; u < units; u++) {
      const v = values[t * units + u] ?? 0;
      rects.push(`<rect x="${left + t * cell}" y="${u * cell}" width="${cell}" height="${cell}" fill="${paletteColour((v - options.min) / span, options.scale)}"/>`);
    }
  }
  const y = units * cell;
  const axis = [
    `<text class="tick" x="${left - 4}" y="${cell}" text-anchor="end">0</text>`,
    `<text class="tick" x="${left - 4}" y="${y}" text-anchor="end">${units - 1}</text>`,
    `<text class="tick" x="${left}" y="${y + 13}">t=1</text>`,
    `<text class="tick" x="${width}" y="${y + 13}" text-anchor="end">t=${steps}</text>`,
    `<text class="tick" x="${left}" y="${y + bottom + 12}">${formatTick(options.min)}</text>`,
    ...Array.from({ length: 20 }, (_, k) => `<rect x="${left + 30 + k * 4}" y="${y + bottom + 4}" width="4" height="8" fill="${paletteColour(k / 19, options.scale)}"/>`),
    `<text class="tick" x="${left + 114}" y="${y + bottom + 12}">${formatTick(options.max)}</text>`,
  ];
  return `<svg class="heatmap" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(options.label)}" data-steps="${steps}" data-units="${units}">${rects.join('')}${axis.join('')}</svg>`;
}
