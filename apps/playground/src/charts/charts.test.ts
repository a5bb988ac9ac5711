import { describe, expect, it } from 'vitest';
import { heatmap, paletteColour } from './heatmap.js';
import { lineChart } from './line-chart.js';
import { saturationScatter } from './scatter.js';
import { niceTicks } from './svg.js';

describe('SVG charts', () => {
  it('a line chart keeps each series’ values in data-values and escapes its labels', () => {
    const svg = lineChart([{ name: 'lstm', colour: '#000', values: [1, 0.5, 0.25] }], { label: 'loss <MSE> & "x"', xLabel: 'step', yLabel: 'MSE', logY: true });
    expect(svg).toContain('data-series="lstm" data-values="[1,0.5,0.25]"');
    expect(svg).toContain('aria-label="loss &#60;MSE&#62; &#38; &#34;x&#34;"');
    expect(svg.match(/<path /g)).toHaveLength(1);
  });

  it('a log-scale line chart drops non-positive values instead of drawing NaN', () => {
    const svg = lineChart([{ name: 'a', colour: '#000', values: [0, 1, 2] }], { label: 'l', xLabel: 'x', yLabel: 'y', logY: true });
    expect(svg).not.toContain('NaN');
    expect(svg.match(/d="M[^"]*"/)?.[0].match(/[ML]/g)).toHaveLength(2);
  });

  it('a line chart without data says so', () => {
    expect(lineChart([], { label: 'l', xLabel: 'x', yLabel: 'y' })).toContain('no data yet');
  });

  it('a heatmap draws one cell per (step, unit) plus a 20-swatch legend, coloured by value', () => {
    const values = Float32Array.from({ length: 3 * 2 }, (_, i) => i / 5);
    const svg = heatmap(values, 3, 2, { label: 'g', min: 0, max: 1, scale: 'sequential' });
    expect(svg.match(/<rect /g)).toHaveLength(3 * 2 + 20);
    expect(svg).toContain(`fill="${paletteColour(0, 'sequential')}"`);
    expect(svg).toContain(`fill="${paletteColour(1, 'sequential')}"`);
  });

  it('palette colours clamp out-of-range and non-finite values', () => {
    expect(paletteColour(-3, 'diverging')).toBe(paletteColour(0, 'diverging'));
    expect(paletteColour(7, 'diverging')).toBe(paletteColour(1, 'diverging'));
    expect(paletteColour(Number.NaN, 'sequential')).toBe(paletteColour(0, 'sequential'));
  });

  it('the saturation scatter draws one mark per unit and group', () => {
    const svg = saturationScatter(
      [
        { name: 'input', colour: '#111', shape: 'circle', points: [{ x: 0, y: 1 }, { x: 0.5, y: 0.5 }] },
        { name: 'forget', colour: '#222', shape: 'triangle', points: [{ x: 1, y: 0 }] },
      ],
      'sat',
    );
    expect(svg.match(/data-group="input"/g)).toHaveLength(2);
    expect(svg.match(/data-group="forget"/g)).toHaveLength(1);
  });

  it('nice ticks are round numbers covering the range', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });
});
