import { readFile } from 'node:fs/promises';
import { decodeWav, downmixToMono, fbank, mfcc } from '@gated/datasets-speech';
import { writeFileAtomic } from '@gated/tensor';
import { parseFeatureType } from '../cli-args.js';
import { ensureWritableFile } from '../output-paths.js';

/** `gated features in.wav`: Kaldi MFCC (13) or log-mel fbank (23 bins) with Kaldi's defaults, as JSON or a summary. */
export async function featuresCommand(
  file: string,
  values: Readonly<Record<string, string | boolean | undefined>>,
  print: (text: string) => void,
): Promise<number> {
  const type = parseFeatureType(values['type'] as string | undefined);
  const out = values['out'] as string | undefined;
  if (out !== undefined) await ensureWritableFile(out, '--out');
  const audio = decodeWav(new Uint8Array(await readFile(file)));
  const samples = downmixToMono(audio.channelData);
  const options = { sampleRate: audio.sampleRate };
  const features = type === 'mfcc' ? mfcc(samples, options) : fbank(samples, options);
  const [frames, bins] = features.shape;
  const rows = Array.from({ length: frames }, (_, t) => Array.from(features.data.subarray(t * bins, (t + 1) * bins)));
  const doc = { file, type, sampleRate: audio.sampleRate, frameShiftMs: 10, frameLengthMs: 25, shape: [frames, bins], features: rows };
  if (out !== undefined) {
    await writeFileAtomic(out, `${JSON.stringify(doc)}\n`);
    print(`Wrote ${out}: ${type} [${frames} frames × ${bins}] of ${file} (${audio.sampleRate} Hz).\n`);
  } else {
    const mean = (j: number): number => rows.reduce((s, r) => s + r[j]!, 0) / Math.max(1, frames);
    print(`${file}: ${audio.sampleRate} Hz, ${(samples.length / audio.sampleRate).toFixed(2)} s → ${type} [${frames} frames × ${bins}]\n`);
    print(`per-bin mean: ${Array.from({ length: bins }, (_, j) => mean(j).toFixed(2)).join(' ')}\n`);
  }
  return 0;
}
