import { ArgumentError, assertInteger, assertNumberInRange, assertObject, checkOptions, type OptionRule } from '@gated/tensor';

/** Kaldi's analysis windows (`--window-type`). */
export type KaldiWindowType = 'povey' | 'hamming' | 'hanning' | 'rectangular' | 'blackman';

/**
 * Framing and windowing options shared by {@link spectrogram}, {@link fbank} and {@link mfcc}: Kaldi's
 * `FrameExtractionOptions` under camelCase names (`frame_shift` → `frameShiftMs`). Defaults are Kaldi's, as
 * torchaudio 0.13 `torchaudio.compliance.kaldi` implements them.
 */
export interface FrameOptions {
  /** Sample rate of `samples` in Hz (Kaldi `sample_frequency`). Required. */
  readonly sampleRate: number;
  /** Frame length in ms (`frame_length`). Default 25. */
  readonly frameLengthMs?: number;
  /** Frame shift in ms (`frame_shift`). Default 10. */
  readonly frameShiftMs?: number;
  /** Gaussian dither added to each 16-bit-scaled sample (`dither`). Default 0 (off). */
  readonly dither?: number;
  /** Seed of the dither noise (only used when `dither > 0`). Default 0. */
  readonly seed?: number;
  /** Pre-emphasis x[j] −= c · x[j−1] (`preemphasis_coefficient`). Default 0.97. */
  readonly preemphasisCoefficient?: number;
  /** Subtract each frame's mean (`remove_dc_offset`). Default true. */
  readonly removeDcOffset?: boolean;
  /** Window (`window_type`). Default 'povey' (Hann^0.85). */
  readonly windowType?: KaldiWindowType;
  /** Coefficient of the generalised Blackman window (`blackman_coeff`). Default 0.42. */
  readonly blackmanCoeff?: number;
  /** Zero-pad each frame to a power of two before the FFT (`round_to_power_of_two`). Default true. */
  readonly roundToPowerOfTwo?: boolean;
  /** Only frames that fit entirely (`snip_edges`); false reflects the signal at both ends. Default true. */
  readonly snipEdges?: boolean;
  /** Log energy measured before pre-emphasis and windowing (`raw_energy`). Default true. */
  readonly rawEnergy?: boolean;
  /** Floor on the (linear) frame energy; 0 = none (`energy_floor`). Default 1. */
  readonly energyFloor?: number;
  /** Subtract the mean of each feature over the utterance (`subtract_mean`). Default false. */
  readonly subtractMean?: boolean;
  /** Return no frames for signals shorter than this many seconds (`min_duration`). Default 0. */
  readonly minDuration?: number;
  /**
   * Multiplier from our [−1, 1] samples to Kaldi's 16-bit scale. Default 32768, so the result equals
   * torchaudio's for `waveform * 32768`. Use 1 for input that is already 16-bit-scaled.
   */
  readonly sampleScale?: number;
}

/** Options of {@link fbank}: {@link FrameOptions} plus Kaldi's `MelBanksOptions` and fbank switches. */
export interface FbankOptions extends FrameOptions {
  /** Number of triangular mel bins (`num_mel_bins`). Default 23. */
  readonly numMelBins?: number;
  /** Lowest mel-bin edge in Hz (`low_freq`). Default 20. */
  readonly lowFreq?: number;
  /** Highest mel-bin edge in Hz; ≤ 0 means offset from Nyquist (`high_freq`). Default 0 (= Nyquist). */
  readonly highFreq?: number;
  /** Prepend the log frame energy as an extra column (`use_energy`). Default false. */
  readonly useEnergy?: boolean;
  /** Put the energy last instead of first (`htk_compat`). Default false. */
  readonly htkCompat?: boolean;
  /** Log of the mel energies (`use_log_fbank`). Default true. */
  readonly useLogFbank?: boolean;
  /** Power spectrum (true) or magnitude (`use_power`). Default true. */
  readonly usePower?: boolean;
  /** VTLN warp factor (`vtln_warp`). Default 1 (no warping). */
  readonly vtlnWarp?: number;
  /** VTLN lower inflection point in Hz (`vtln_low`). Default 100. */
  readonly vtlnLow?: number;
  /** VTLN upper inflection point in Hz; negative = offset from Nyquist (`vtln_high`). Default −500. */
  readonly vtlnHigh?: number;
}

/** Options of {@link mfcc}: {@link FbankOptions} (log power mel energies) plus the cepstral ones. */
export interface MfccOptions extends Omit<FbankOptions, 'useLogFbank' | 'usePower'> {
  /** Number of cepstra including C0 (`num_ceps`). Default 13. */
  readonly numCeps?: number;
  /** Cepstral liftering coefficient; 0 = none (`cepstral_lifter`). Default 22. */
  readonly cepstralLifter?: number;
}

/** Options of {@link spectrogram}: {@link FrameOptions} only. */
export type SpectrogramOptions = FrameOptions;

const FRAME_DEFAULTS = {
  frameLengthMs: 25,
  frameShiftMs: 10,
  dither: 0,
  seed: 0,
  preemphasisCoefficient: 0.97,
  removeDcOffset: true,
  windowType: 'povey' as KaldiWindowType,
  blackmanCoeff: 0.42,
  roundToPowerOfTwo: true,
  snipEdges: true,
  rawEnergy: true,
  energyFloor: 1,
  subtractMean: false,
  minDuration: 0,
  sampleScale: 32768,
};
const FBANK_DEFAULTS = {
  numMelBins: 23,
  lowFreq: 20,
  highFreq: 0,
  useEnergy: false,
  htkCompat: false,
  useLogFbank: true,
  usePower: true,
  vtlnWarp: 1,
  vtlnLow: 100,
  vtlnHigh: -500,
};
const MFCC_DEFAULTS = { numCeps: 13, cepstralLifter: 22 };

/** Every Kaldi default in one place (torchaudio 0.13 `torchaudio.compliance.kaldi`), under our option names. */
export const KALDI_DEFAULTS: Readonly<typeof FRAME_DEFAULTS & typeof FBANK_DEFAULTS & typeof MFCC_DEFAULTS> = Object.freeze({
  ...FRAME_DEFAULTS,
  ...FBANK_DEFAULTS,
  ...MFCC_DEFAULTS,
});

/** Resolved frame options with the derived sizes in samples. */
export interface ResolvedFrameOptions extends Required<Omit<FrameOptions, 'windowType'>> {
  readonly windowType: KaldiWindowType;
  readonly windowSize: number;
  readonly windowShift: number;
  readonly paddedWindowSize: number;
}

/** Fully resolved fbank options. */
export type ResolvedFbankOptions = ResolvedFrameOptions & Required<Omit<FbankOptions, keyof FrameOptions>>;
/** Fully resolved MFCC options. */
export type ResolvedMfccOptions = ResolvedFbankOptions & Required<Pick<MfccOptions, 'numCeps' | 'cepstralLifter'>>;

const WINDOWS: readonly KaldiWindowType[] = ['povey', 'hamming', 'hanning', 'rectangular', 'blackman'];
const FRAME_KEYS = new Set<string>([...Object.keys(FRAME_DEFAULTS), 'sampleRate']);
const FBANK_KEYS = new Set<string>([...FRAME_KEYS, ...Object.keys(FBANK_DEFAULTS)]);
const MFCC_KEYS = new Set<string>([...FBANK_KEYS, ...Object.keys(MFCC_DEFAULTS)]);
MFCC_KEYS.delete('useLogFbank');
MFCC_KEYS.delete('usePower');

function rejectUnknown(options: object, known: ReadonlySet<string>, fn: string): void {
  assertObject(`${fn} options`, options, 'an options object with sampleRate, e.g. { sampleRate: 16000 }');
  const defaults = KALDI_DEFAULTS as Readonly<Record<string, unknown>>;
  const spec: Record<string, OptionRule> = {};
  for (const key of known) {
    const kind = typeof defaults[key];
    spec[key] = key === 'windowType' ? WINDOWS : kind === 'boolean' ? 'boolean' : 'number';
  }
  checkOptions(fn, options, spec);
}

const nextPowerOfTwo = (x: number): number => (x <= 1 ? 1 : 2 ** Math.ceil(Math.log2(x)));

/** Applies defaults, rejects unknown or out-of-range options and derives window sizes in samples (torchaudio's rules). */
export function resolveFrameOptions(options: FrameOptions, fn = 'spectrogram', known: ReadonlySet<string> = FRAME_KEYS): ResolvedFrameOptions {
  rejectUnknown(options, known, fn);
  const o = { ...KALDI_DEFAULTS, ...definedOnly(options) };
  assertNumberInRange('sampleRate', o.sampleRate, 1, 1e7);
  assertNumberInRange('frameLengthMs', o.frameLengthMs, 0, 1e6);
  assertNumberInRange('frameShiftMs', o.frameShiftMs, 0, 1e6);
  assertNumberInRange('dither', o.dither, 0, 1e9);
  assertInteger('seed', o.seed, 0, 2 ** 53);
  assertNumberInRange('preemphasisCoefficient', o.preemphasisCoefficient, 0, 1);
  assertNumberInRange('blackmanCoeff', o.blackmanCoeff, -1e3, 1e3);
  assertNumberInRange('energyFloor', o.energyFloor, 0, Number.MAX_VALUE);
  assertNumberInRange('minDuration', o.minDuration, 0, 1e9);
  assertNumberInRange('sampleScale', o.sampleScale, Number.MIN_VALUE, Number.MAX_VALUE);
  if (!WINDOWS.includes(o.windowType)) throw new ArgumentError('windowType', `one of ${WINDOWS.join(', ')}`, String(o.windowType));
  // Python's int(sample_frequency * frame_length * 0.001), evaluated in the same order for identical rounding.
  const windowShift = Math.trunc(o.sampleRate * o.frameShiftMs * 0.001);
  const windowSize = Math.trunc(o.sampleRate * o.frameLengthMs * 0.001);
  const paddedWindowSize = o.roundToPowerOfTwo ? nextPowerOfTwo(windowSize) : windowSize;
  if (windowSize < 2) throw new ArgumentError('frameLengthMs', 'a frame of at least 2 samples', `${windowSize} samples`);
  if (windowShift < 1) throw new ArgumentError('frameShiftMs', 'a shift of at least 1 sample', `${windowShift} samples`);
  if (paddedWindowSize % 2 !== 0) {
    throw new ArgumentError('frameLengthMs', 'an even FFT size (use roundToPowerOfTwo or change frameLengthMs)', `${paddedWindowSize} samples`);
  }
  return { ...o, windowType: o.windowType, windowShift, windowSize, paddedWindowSize };
}

/** {@link resolveFrameOptions} plus the mel-bank options and their Nyquist/VTLN consistency checks. */
export function resolveFbankOptions(options: FbankOptions, fn = 'fbank', known: ReadonlySet<string> = FBANK_KEYS): ResolvedFbankOptions {
  const frame = resolveFrameOptions(options, fn, known);
  const o = { ...KALDI_DEFAULTS, ...definedOnly(options), ...frame };
  assertInteger('numMelBins', o.numMelBins, 4, 10000);
  const nyquist = 0.5 * o.sampleRate;
  const highFreq = o.highFreq <= 0 ? o.highFreq + nyquist : o.highFreq;
  if (!(o.lowFreq >= 0 && o.lowFreq < nyquist && highFreq > 0 && highFreq <= nyquist && o.lowFreq < highFreq)) {
    throw new ArgumentError('lowFreq/highFreq', `0 ≤ lowFreq < highFreq ≤ Nyquist (${nyquist} Hz)`, `lowFreq ${o.lowFreq}, highFreq ${o.highFreq} (= ${highFreq} Hz)`);
  }
  assertNumberInRange('vtlnWarp', o.vtlnWarp, 0.1, 10);
  if (o.vtlnWarp !== 1) {
    const vtlnHigh = o.vtlnHigh < 0 ? o.vtlnHigh + nyquist : o.vtlnHigh;
    if (!(o.lowFreq < o.vtlnLow && o.vtlnLow < highFreq && vtlnHigh > 0 && vtlnHigh < highFreq && o.vtlnLow < vtlnHigh)) {
      throw new ArgumentError('vtlnLow/vtlnHigh', `lowFreq < vtlnLow < vtlnHigh < highFreq (${highFreq} Hz)`, `vtlnLow ${o.vtlnLow}, vtlnHigh ${o.vtlnHigh} (= ${vtlnHigh} Hz)`);
    }
  }
  return o;
}

/** {@link resolveFbankOptions} plus `numCeps` ≤ `numMelBins` and the lifter. */
export function resolveMfccOptions(options: MfccOptions): ResolvedMfccOptions {
  const o = {
    ...resolveFbankOptions(options, 'mfcc', MFCC_KEYS),
    numCeps: options.numCeps ?? MFCC_DEFAULTS.numCeps,
    cepstralLifter: options.cepstralLifter ?? MFCC_DEFAULTS.cepstralLifter,
    useLogFbank: true,
    usePower: true,
  };
  assertInteger('numCeps', o.numCeps, 1, o.numMelBins);
  assertNumberInRange('cepstralLifter', o.cepstralLifter, 0, 1e6);
  return o;
}

// With exactOptionalPropertyTypes an explicit `undefined` must not override a default.
function definedOnly<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as T;
}
