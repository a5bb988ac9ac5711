import { readFile } from 'node:fs/promises';
import { SequenceModel } from '@gated/cells';
import { encodeWav, loadConnectedDigitsAudio } from '@gated/datasets-speech';
import { exportOnnxFile } from '@gated/onnx';
import { ArgumentError, initBackend, writeFileAtomic } from '@gated/tensor';
import { parseBackend, parseCount, parseModel } from '../cli-args.js';
import { UsageError } from '../errors.js';
import { predictor } from '../measure-seed.js';
import { Transcriber } from '../transcriber.js';
import { BEAM_WIDTH, DIGIT_CLASSES, trainCtc } from '../tasks/ctc-training.js';
import { loadCtcCorpus, scoreTranscripts, speechCtc, trainingBatches } from '../tasks/speech-ctc.js';
import { acousticModelOptions } from '../tasks/speech-ctc-seed.js';

type Values = Readonly<Record<string, string | boolean | undefined>>;

/** `gated transcribe --train model.onnx`: trains the speech-ctc acoustic model, reports test error rates, exports it. */
async function trainAndExport(out: string, values: Values, print: (text: string) => void): Promise<number> {
  const budget = speechCtc.budgets.default;
  const kind = parseModel((values['model'] as string | undefined) ?? 'lstm');
  const steps = parseCount('--steps', values['steps'] as string | undefined, budget.steps, 1);
  const seed = parseCount('--seed', values['seed'] as string | undefined, 0);
  const hiddenSize = parseCount('--hidden', values['hidden'] as string | undefined, budget.hiddenSize, 1, 4096);
  const json = values['json'] === true;
  await initBackend({ backend: parseBackend(values['backend'] as string | undefined) });
  const corpus = await loadCtcCorpus();
  const { train, test } = corpus.splits;
  const model = new SequenceModel(acousticModelOptions(kind, corpus.featureDim, hiddenSize, seed));
  try {
    const started = performance.now();
    const data = trainingBatches(train, budget.batchSize, seed);
    await trainCtc(model, data, {
      steps,
      learningRate: budget.learningRate,
      clipNorm: 1,
      onStep: (step, loss) => {
        if (!json && (step % 50 === 0 || step === steps)) print(`step ${step}/${steps} · CTC loss ${loss.toFixed(4)}\n`);
      },
    });
    const trainSeconds = (performance.now() - started) / 1000;
    const score = await scoreTranscripts(predictor(model), test, 32);
    const { cmvn } = corpus;
    if (cmvn === undefined) throw new ArgumentError('speech-ctc corpus cmvn', 'training-split CMVN statistics', 'none');
    await exportOnnxFile(out, model, {
      lengths: true,
      preprocessing: { task: speechCtc.id, features: { ...corpus.pipeline }, scaler: { mean: cmvn.mean, std: cmvn.std }, vocabulary: [...DIGIT_CLASSES] },
    });
    const clipOut = values['clip-out'] as string | undefined;
    let clip: { file: string; digits: string; voice: string } | undefined;
    if (clipOut !== undefined) {
      const audio = await loadConnectedDigitsAudio();
      const held = audio.utterances.find((u) => u.split === 'test');
      if (held === undefined) throw new ArgumentError('connected-digits audio', 'at least one test-split utterance', 'none');
      await writeFileAtomic(clipOut, encodeWav({ sampleRate: audio.sampleRate, channelData: [held.samples] }));
      clip = { file: clipOut, digits: held.digits, voice: held.voice };
    }
    const summary = {
      model: out,
      kind,
      hiddenSize,
      steps,
      seed,
      params: model.countParams(),
      trainSeconds,
      testUtterances: test.length,
      digitErrorRate: score.metric,
      digitErrorRateBeam: score.extras['derBeam'],
      sentenceAccuracy: score.extras['sentenceAccuracy'],
      sentenceAccuracyBeam: score.extras['sentenceAccuracyBeam'],
      ...(clip ? { heldOutClip: clip } : {}),
    };
    if (json) print(`${JSON.stringify(summary)}\n`);
    else {
      const pct = (v: number | undefined): string => `${(100 * (v ?? Number.NaN)).toFixed(1)}%`;
      print(
        `Wrote ${out}: bidirectional ${kind}, H=${hiddenSize}, ${summary.params} parameters, ${steps} CTC steps in ${trainSeconds.toFixed(0)} s.\n` +
          `Unheard test voices (${test.length} utterances): digit error rate ${pct(summary.digitErrorRate)} greedy, ${pct(summary.digitErrorRateBeam)} beam ${BEAM_WIDTH}; ` +
          `sentence accuracy ${pct(summary.sentenceAccuracy)} greedy, ${pct(summary.sentenceAccuracyBeam)} beam.\n` +
          (clip ? `Wrote held-out clip ${clip.file} (voice ${clip.voice}, says ${clip.digits}).\n` : ''),
      );
    }
    return 0;
  } finally {
    model.dispose();
  }
}

/**
 * `gated transcribe model.onnx clip.wav…`: recognises the digits spoken in each clip with an exported CTC
 * acoustic model (onnxruntime-node, decoded in JS); `--train model.onnx` makes such a model.
 */
export async function transcribeCommand(positionals: readonly string[], values: Values, print: (text: string) => void): Promise<number> {
  if (values['train'] === true) {
    const [file] = positionals;
    if (file === undefined || positionals.length !== 1) throw new UsageError('gated transcribe --train', 'one .onnx file to write', positionals.join(' ') || 'nothing');
    return trainAndExport(file, values, print);
  }
  for (const flag of ['model', 'steps', 'seed', 'hidden', 'clip-out', 'backend']) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag}`, 'a flag of gated transcribe --train only', `--${flag} without --train`);
  }
  const [modelFile, ...clips] = positionals;
  if (modelFile === undefined || clips.length === 0) throw new UsageError('gated transcribe', 'MODEL.onnx followed by one or more .wav clips', positionals.join(' ') || 'nothing');
  const beamWidth = parseCount('--beam', values['beam'] as string | undefined, BEAM_WIDTH, 1, 1024);
  const transcriber = await Transcriber.create(modelFile);
  try {
    for (const clip of clips) {
      const result = await transcriber.transcribe(new Uint8Array(await readFile(clip)), beamWidth);
      if (values['json'] === true) print(`${JSON.stringify({ clip, ...result })}\n`);
      else print(`${clip}: ${result.text}\n`);
    }
    return 0;
  } finally {
    await transcriber.release();
  }
}
