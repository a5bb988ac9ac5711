import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeCommand } from './commands/merge.js';
import { ResultsFormatError } from './errors.js';
import { ShardDuplicateError, ShardMismatchError, ShardMissingError } from './merge-errors.js';
import { mergeResults } from './merge.js';
import { reportHtml, reportMarkdown } from './report.js';
import { readResults } from './run-dir.js';
import { summaryTable } from './summary-table.js';
import { bytesNear, fuzzParameters, parsesOrThrowsTyped } from '../../../tools/test-utils/fuzz.js';
import { syntheticResults } from './test-utils/synthetic-results.js';

// What `gated merge` may refuse an input with: a malformed file, or files that are not one grid's shards.
const MERGE_REFUSALS = [ResultsFormatError, ShardMissingError, ShardDuplicateError, ShardMismatchError];

const dir = mkdtempSync(join(tmpdir(), 'gated-merge-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

const valid = syntheticResults(['memory-adding', 'text-classify'], { shard: { index: 1, count: 2 } });
const other = syntheticResults(['memory-adding', 'text-classify'], { shard: { index: 2, count: 2 } });
const validJson = `${JSON.stringify(valid, null, 1)}\n`;

// Every path to a value inside a JSON tree, so a mutation can reach any field.
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      paths(v, [...prefix, i], out);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  }
  return out;
}
const allPaths = paths(JSON.parse(validJson));

function mutateJson(kind: number, at: number, replacement: unknown): unknown {
  const copy = JSON.parse(validJson) as Record<string, unknown>;
  const path = allPaths[at % allPaths.length]!;
  if (path.length === 0) return replacement;
  const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], copy) as Record<string | number, unknown>;
  const key = path.at(-1)!;
  if (kind % 3 === 0) delete parent[key];
  else if (kind % 3 === 1) parent[key] = replacement;
  else parent[key] = [parent[key], parent[key]];
  return copy;
}
const replacement = fc.oneof(fc.constantFrom(null, -1, 0, 1.5, 1e308, '', 'lstm', [], {}, true), fc.jsonValue({ maxDepth: 2 }));
const mutatedJson = fc.tuple(fc.nat(), fc.nat(), replacement).map(([k, at, r]) => `${JSON.stringify(mutateJson(k, at, r))}`);
const file = fc.oneof(mutatedJson.map((s) => new TextEncoder().encode(s)), bytesNear(new TextEncoder().encode(validJson)));

// What `gated merge` does with a file: read it, merge it with another shard, render every report.
async function mergeAndReport(path: string): Promise<void> {
  const merged = mergeResults([
    { file: path, results: readResults(path) },
    { file: 'other', results: other },
  ]);
  reportMarkdown(merged);
  summaryTable(merged);
  await reportHtml(merged);
}

describe('gated merge under fuzzing: merged results or a typed refusal, within 10 s', () => {
  it('results.json files with any field replaced, removed or duplicated, and mutated bytes', async () => {
    await fc.assert(
      fc.asyncProperty(file, async (bytes) => {
        const path = join(dir, `r${n++}.json`);
        writeFileSync(path, bytes);
        // Rendering the HTML report of a whole merge takes ~1 s on the shared machine; 10 s still catches a hang.
        await parsesOrThrowsTyped(path, mergeAndReport, MERGE_REFUSALS, 10_000);
      }),
      fuzzParameters(150),
    );
  });

  it('leaves no output directory behind when an input is refused', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedJson, async (text) => {
        const input = join(dir, `in${n++}`);
        rmSync(input, { recursive: true, force: true });
        const { mkdirSync } = await import('node:fs');
        mkdirSync(input);
        writeFileSync(join(input, 'results.json'), text);
        const out = join(dir, `out${n++}`);
        let refused = false;
        try {
          await mergeCommand([input], { out }, () => {});
        } catch (error) {
          expect(MERGE_REFUSALS.some((c) => error instanceof c)).toBe(true);
          refused = true;
        }
        expect(existsSync(out)).toBe(!refused);
      }),
      fuzzParameters(20),
    );
  });
});
