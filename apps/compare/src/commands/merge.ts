import { join } from 'node:path';
import { writeFileAtomic } from '@gated/tensor';
import { ResultsFormatError } from '../errors.js';
import { mergeResults } from '../merge.js';
import { asPaperResults, mergePaperResults, readAnyResults } from '../paper/paper-merge.js';
import { publishedTable, writePaperReport } from '../paper/paper-report.js';
import { writeReport } from '../report.js';
import { RESULTS_FILE, createRunDir, defaultRunDir, readResults, writeResults } from '../run-dir.js';
import { summaryTable } from '../summary-table.js';

/** `gated merge DIR…`: merges runs (e.g. shards, of the default or of the paper suite) into a new run directory with one report. */
export async function mergeCommand(
  dirs: readonly string[],
  values: Readonly<Record<string, string | boolean | undefined>>,
  print: (text: string) => void,
): Promise<number> {
  const read = dirs.map((dir) => ({ dir, ...readAnyResults(dir) }));
  if (read.some((r) => r.paper)) {
    const notPaper = read.find((r) => !r.paper);
    if (notPaper) throw new ResultsFormatError(notPaper.file, 'suite', '"paper", like the other inputs (paper-suite shards merge only with each other)', 'a default-suite run');
    const merged = mergePaperResults(read.map((r) => ({ file: r.dir, results: asPaperResults(r.file, r.data) })));
    const out = (values['out'] as string | undefined) ?? defaultRunDir('results', 'paper-merged-');
    createRunDir(out);
    await writeFileAtomic(join(out, RESULTS_FILE), `${JSON.stringify(merged, null, 1)}\n`);
    await writePaperReport(out, merged);
    print(`${publishedTable(merged.entries)}\n\nMerged ${dirs.length} paper-suite run(s) into ${out}/results.json and report.md.\n`);
    return merged.failures.length > 0 ? 1 : 0;
  }
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
