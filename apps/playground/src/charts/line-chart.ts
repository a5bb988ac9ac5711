import { escapeXml, formatTick, niceTicks } from './svg.js';

/** One line of a {@link lineChart}. */
export interface LineSeries {
  /** Shown in the legend and kept in `data-series`. */
  readonly name: string;
  readonly colour: string;
  /** y per point; x is the point's index + `xStart` unless `xs` is given. */
  readonly values: readonly number[];
  readonly xs?: readonly number[];
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  /** Accessible name of the chart (aria-label). */
  readonly label: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Plot y on a log10 scale (non-positive values are dropped). */
  readonly logY?: boolean;
  readonly width?: number;
  readonly height?: number;
}

const MARGIN = { left: 56, right: 12, top: 12, bottom: 40 };

/**
 * A multi-series line chart as an SVG string that scales to its container. Each line's values are kept in its
 * `data-values` attribute so the page (and its tests) can read what is drawn.
 */
export function lineChart(series: readonly LineSeries[], options: LineChartOptions): string {
  const width = options.width ?? 480;
  const height = options.height ?? 240;
  const logY = options.logY ?? false;
  const ty = (v: number): number => (logY ? Math.log10(v) : v);
  const points = series.map((s) =>
    s.values
      .map((v, i) => ({ x: s.xs?.[i] ?? i + 1, y: v }))
      .filter((p) => Number.isFinite(p.y) && (!logY || p.y > 0)),
  );
  const all = points.flat();
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const parts: string[] = [];
  if (all.length > 0) {
    const xMin = Math.min(...all.map((p) => p.x));
    const xMax = Math.max(xMin + 1, ...all.map((p) => p.x));
    let yMin = Math.min(...all.map((p) => ty(p.y)));
    let yMax = Math.max(...all.map((p) => ty(p.y)));
    if (!logY) yMin = Math.min(0, yMin);
    if (yMax - yMin < 1e-12) yMax = yMin + 1;
    const sx = (x: number): number => MARGIN.left + ((x - xMin) / (xMax - xMin)) * plotW;
    const sy = (y: number): number => MARGIN.top + plotH - ((y - yMin) / (yMax - yMin)) * plotH;
    const yTicks = logY
      ? Array.from({ length: Math.floor(yMax) - Math.ceil(yMin) + 1 }, (_, i) => Math.ceil(yMin) + i)
      : niceTicks(yMin, yMax, 4);
    for (const t of yTicks) {
      const y = sy(t).toFixed(1);
      parts.push(`<line class="grid" x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${y}" y2="${y}"/>`);
      parts.push(`<text class="tick" x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${formatTick(logY ? 10 ** t : t)}</text>`);
    }
    for (const t of niceTicks(xMin, xMax, 5)) {
      parts.push(`<text class="tick" x="${sx(t).toFixed(1)}" y="${height - MARGIN.bottom + 16}" text-anchor="middle">${formatTick(t)}</text>`);
    }
    series.forEach((s, k) => {
      const pts = points[k] ?? [];
      if (pts.length === 0) return;
      const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p.x).toFixed(1)},${sy(ty(p.y)).toFixed(1)}`).join('');
      const values = escapeXml(JSON.stringify(s.values.map((v) => Number(v.toPrecision(6)))));
      parts.push(`<path class="line" d="${d}" stroke="${s.colour}" data-series="${escapeXml(s.name)}" data-values="${values}"/>`);
    });
  } else {
    parts.push(`<text class="empty" x="${width / 2}" y="${height / 2}" text-anchor="middle">no data yet</text>`);
  }
  parts.push(`<line class="axis" x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${height - MARGIN.bottom}"/>`);
  parts.push(`<line class="axis" x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${height - MARGIN.bottom}" y2="${height - MARGIN.bottom}"/>`);
  parts.push(`<text class="axis-label" x="${MARGIN.left + plotW / 2}" y="${height - 6}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  parts.push(`<text class="axis-label" transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`);
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(options.label)}">${parts.join('')}</svg>`;
}
