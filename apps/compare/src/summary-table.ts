import { TABLE_COLUMNS, tableRow } from './format.js';
import type { ResultsFile } from './results.js';

/** Plain-text table with aligned columns (numbers right-aligned). */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The terminal summary: the headline table of every entry, then one line per verdict. */
export function summaryTable(results: ResultsFile): string {
  const parts = [textTable(TABLE_COLUMNS, results.runs.map(tableRow))];
  if (results.verdicts.length > 0) {
    parts.push('', 'Claims of the seed table:');
    for (const v of results.verdicts) parts.push(`  ${v.verdict.padEnd(15)} ${v.text} — ${v.task}: ${v.explanation}`);
  }
  for (const f of results.failures) parts.push(`  FAILED ${f.task}/${f.model}/${f.sizing}: ${f.message}`);
  return `${parts.join('\n')}\n`;
}
