import { escapeXml } from './svg.js';

/** One group of points of a {@link saturationScatter}. */
export interface ScatterGroup {
  readonly name: string;
  readonly colour: string;
  /** A marker shape so groups differ without colour. */
  readonly shape: 'circle' | 'square' | 'triangle';
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

/**
 * Karpathy et al. (2015)'s saturation plot as an SVG string: one point per unit, x the fraction of steps the
 * gate is left-saturated (< 0.1), y the fraction right-saturated (> 0.9); both axes 0…1, the diagonal x + y = 1
 * marks units that are always saturated.
 */
export function saturationScatter(groups: readonly ScatterGroup[], label: string): string {
  const size = 220;
  const m = { left: 40, bottom: 36, top: 8, right: 8 };
  const plot = size - m.left - m.right;
  const sx = (x: number): number => m.left + x * plot;
  const sy = (y: number): number => m.top + (1 - y) * plot;
  const parts: string[] = [
    `<rect class="frame" x="${m.left}" y="${m.top}" width="${plot}" height="${plot}"/>`,
    `<line class="grid" x1="${sx(0)}" y1="${sy(1)}" x2="${sx(1)}" y2="${sy(0)}"/>`,
  ];
  for (const g of groups) {
    for (const p of g.points) {
      const [x, y] = [sx(p.x), sy(p.y)];
      const mark =
        g.shape === 'circle'
          ? `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3"/>`
          : g.shape === 'square'
            ? `<rect x="${(x - 3).toFixed(1)}" y="${(y - 3).toFixed(1)}" width="6" height="6"/>`
            : `<path d="M${x.toFixed(1)},${(y - 4).toFixed(1)}l4,7h-8z"/>`;
      parts.push(mark.replace(/\/>$/, ` fill="${g.colour}" fill-opacity="0.7" data-group="${escapeXml(g.name)}"/>`));
    }
  }
  parts.push(`<text class="tick" x="${sx(0)}" y="${size - m.bottom + 14}" text-anchor="middle">0</text>`);
  parts.push(`<text class="tick" x="${sx(1)}" y="${size - m.bottom + 14}" text-anchor="middle">1</text>`);
  parts.push(`<text class="tick" x="${m.left - 4}" y="${sy(0)}" text-anchor="end">0</text>`);
  parts.push(`<text class="tick" x="${m.left - 4}" y="${sy(1) + 8}" text-anchor="end">1</text>`);
  parts.push(`<text class="axis-label" x="${m.left + plot / 2}" y="${size - 6}" text-anchor="middle">fraction left-saturated (&lt; 0.1)</text>`);
  parts.push(`<text class="axis-label" transform="translate(12 ${m.top + plot / 2}) rotate(-90)" text-anchor="middle">right-saturated (&gt; 0.9)</text>`);
  return `<svg class="scatter" viewBox="0 0 ${size} ${size}" role="img" aria-label="${escapeXml(label)}">${parts.join('')}</svg>`;
}
