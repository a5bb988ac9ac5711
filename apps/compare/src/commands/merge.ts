import { mergeResults } from '../merge.js';
import { writeReport } from '../report.js';
import { createRunDir, defaultRunDir, readResults, writeResults } from '../run-dir.js';
import { summaryTable } from '../summary-table.js';

/** `gated merge DIR…`: merges runs (e.g. shards) into a new run directory with one report. */
export async function mergeCommand(
  dirs: readonly string[],
  values: Readonly<Record<string, string | boolean | undefined>>,
  print: (text: string) => void,
): Promise<number> {
  const inputs = dirs.map((dir) => ({ file: dir, results: readResults(dir) }));
  const merged = mergeResults(inputs);
  const out = (values['out'] as string | undefined) ?? defaultRunDir('results', 'merged-');
  createRunDir(out);
  await writeResults(out, merged);
  await writeReport(out, merged);
  print(summaryTable(merged));
  print(`Merged ${dirs.length} run(s) into ${out}/results.json, report.md and report.html.\n`);
  return 0;
}
