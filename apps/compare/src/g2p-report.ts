import type { Chart } from './chart-style.js';
import { isG2PTask } from './grid.js';
import type { ReportSection } from './report-sections.js';
import type { AttentionMapRecord, ResultsFile } from './results.js';
import { G2P_PUBLISHED } from './tasks/g2p-published.js';

const pct = (mean: number, std: number, n: number): string => (n > 1 ? `${(100 * mean).toFixed(2)} ± ${(100 * std).toFixed(2)}` : (100 * mean).toFixed(2));

/**
 * Published results for text-g2p: PER and WER of this run's encoder–decoders (mean ± std over seeds, with and
 * without attention) above the published CMUdict figures, each with its citation and how far it was checked.
 */
export function g2pSection(r: ResultsFile): ReportSection | null {
  const runs = r.runs.filter((e) => isG2PTask(e.task));
  if (runs.length === 0) return null;
  const ours = runs.map((e) => {
    const wer = e.extraMetrics['wer'];
    const words = e.config.evaluation?.final.examples;
    return [
      // The shape the run recorded; results written before it was recorded say only whether it attended.
      `${e.model.toUpperCase()} encoder–decoder, ${e.config.architecture ?? (e.task === 'text-g2p' ? 'attention (shape not recorded)' : 'no attention')}`,
      `this run: H ${e.config.hiddenSize}, ${e.config.steps} steps × ${e.config.batchSize}, ${e.seeds.length} seed(s), ${words ?? '?'} test words`,
      pct(e.metric.mean, e.metric.std, e.seeds.length),
      wer === undefined ? '–' : pct(wer.mean, wer.std, e.seeds.length),
      'measured',
    ];
  });
  const published = G2P_PUBLISHED.map((p) => [p.system, p.citation, p.per.toFixed(2), p.wer.toFixed(2), p.status === 'unverified' ? `unverified: ${p.note}` : `secondary source: ${p.note}`]);
  return {
    id: 'g2p-published',
    title: 'Published results (text-g2p)',
    lead:
      'Phoneme error rate (edit distance to the closest reference / its length) and word error rate (words matching no reference) on CMUdict, greedy decoding. ' +
      'The published systems are larger (hundreds of units, several layers), train for many epochs on the Bisani & Ney (2008) split and some decode with a beam; ' +
      'this run uses a seeded random split of a newer CMUdict and a test sample, so the rows show scale, not a reproduction.',
    header: ['system', 'source', 'PER %', 'WER %', 'checked'],
    rows: [...ours, ...published],
  };
}

/** A label that renders as `text` but stays distinct from equal labels at other positions (repeated letters). */
function positional(text: string, index: number): string {
  return `${text}${'\u200b'.repeat(index)}`;
}

/** Cells of attention heatmaps: one per (emitted phoneme, letter) of each map. */
export function attentionRows(maps: readonly AttentionMapRecord[]): { letter: string; col: number; phoneme: string; row: number; weight: number }[] {
  return maps.flatMap((m) =>
    m.weights.flatMap((weights, t) =>
      weights.map((weight, s) => ({
        letter: positional(m.graphemes[s] ?? '?', s),
        col: s,
        phoneme: positional(m.phonemes[t] ?? '?', t),
        row: t,
        weight,
      })),
    ),
  );
}

/** One heatmap: the letters of a word (columns) against the phonemes a model emitted (rows). */
function heatmap(title: string, values: ReturnType<typeof attentionRows>): Record<string, unknown> {
  return {
    title,
    data: { values },
    width: { step: 16 },
    height: { step: 14 },
    mark: 'rect',
    encoding: {
      x: { field: 'letter', type: 'ordinal', sort: { field: 'col', op: 'min' }, title: null, axis: { orient: 'top', labelAngle: 0 } },
      y: { field: 'phoneme', type: 'ordinal', sort: { field: 'row', op: 'min' }, title: null },
      color: { field: 'weight', type: 'quantitative', scale: { domain: [0, 1], scheme: 'greys' }, title: 'attention' },
    },
  };
}

/**
 * The attention heatmaps (graphemes × phonemes) of the first seed of each encoder–decoder with attention: one row
 * of charts per word, one chart per model (concatenated, since each word has its own letters and outputs).
 */
export function attentionCharts(results: ResultsFile): Chart[] {
  const maps = results.attentionMaps ?? [];
  if (maps.length === 0) return [];
  const seed = Math.min(...maps.map((m) => m.seed));
  const first = maps.filter((m) => m.seed === seed);
  const words = [...new Set(first.map((m) => m.word))];
  const models = [...new Set(first.map((m) => m.model))];
  const rows = words.map((word) => ({
    hconcat: models.flatMap((model) => {
      const map = first.filter((m) => m.word === word && m.model === model);
      const [head] = map;
      return head === undefined ? [] : [heatmap(`${model}: ${word} (${head.reference.join(' ')})`, attentionRows(map))];
    }),
  }));
  return [
    {
      id: 'g2p-attention',
      title: 'Attention of the G2P encoder–decoders on test words',
      caption:
        'Rows: the phonemes each model emitted (greedy; </s> = end of word); columns: the letters of the word; shade: the attention weight (each row sums to 1). ' +
        'Test words never seen in training, the dictionary pronunciation in brackets; first seed, equal hidden size.',
      spec: { vconcat: rows },
    },
  ];
}
