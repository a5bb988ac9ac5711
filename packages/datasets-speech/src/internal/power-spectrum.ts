import FFT from 'fft.js';

/**
 * |DFT(x)|² of a real frame of fixed length n, bins 0 … n/2 (n even) or 0 … (n−1)/2. Powers of two go through
 * fft.js's real transform; other lengths (Kaldi's `round_to_power_of_two = false`) through Bluestein's chirp-z
 * algorithm on fft.js complex transforms, so every length costs O(n log n).
 */
export class PowerSpectrum {
  readonly size: number;
  readonly bins: number;
  readonly #compute: (frame: Float64Array, out: Float64Array) => void;

  constructor(size: number) {
    this.size = size;
    this.bins = Math.floor(size / 2) + 1;
    this.#compute = (size & (size - 1)) === 0 && size >= 4 ? realPow2(size) : bluestein(size);
  }

  /** Writes |X_k|² for k = 0 … bins−1 into `out`; `frame` holds `size` samples. */
  compute(frame: Float64Array, out: Float64Array): void {
    this.#compute(frame, out);
  }
}

function realPow2(size: number): (frame: Float64Array, out: Float64Array) => void {
  const fft = new FFT(size);
  const spectrum = new Float64Array(2 * size);
  const bins = size / 2 + 1;
  return (frame, out) => {
    fft.realTransform(spectrum, frame);
    for (let k = 0; k < bins; k++) {
      const re = spectrum[2 * k]!;
      const im = spectrum[2 * k + 1]!;
      out[k] = re * re + im * im;
    }
  };
}

// X_k = c_k · Σ_n (x_n c_n) · conj(c_{k−n}), with the chirp c_n = exp(−iπ n²/N): a convolution, done by FFT.
function bluestein(size: number): (frame: Float64Array, out: Float64Array) => void {
  let m = 1;
  while (m < 2 * size - 1) m <<= 1;
  const fft = new FFT(m);
  const chirpRe = new Float64Array(size);
  const chirpIm = new Float64Array(size);
  for (let n = 0; n < size; n++) {
    // n² mod 2N keeps the angle small and exact for large n.
    const angle = (Math.PI * ((n * n) % (2 * size))) / size;
    chirpRe[n] = Math.cos(angle);
    chirpIm[n] = -Math.sin(angle);
  }
  const b = new Float64Array(2 * m);
  for (let n = 0; n < size; n++) {
    b[2 * n] = chirpRe[n]!;
    b[2 * n + 1] = -chirpIm[n]!;
    if (n > 0) {
      b[2 * (m - n)] = chirpRe[n]!;
      b[2 * (m - n) + 1] = -chirpIm[n]!;
    }
  }
  const bHat = new Float64Array(2 * m);
  fft.transform(bHat, b);
  const a = new Float64Array(2 * m);
  const aHat = new Float64Array(2 * m);
  const conv = new Float64Array(2 * m);
  const bins = Math.floor(size / 2) + 1;
  return (frame, out) => {
    a.fill(0);
    for (let n = 0; n < size; n++) {
      a[2 * n] = frame[n]! * chirpRe[n]!;
      a[2 * n + 1] = frame[n]! * chirpIm[n]!;
    }
    fft.transform(aHat, a);
    for (let k = 0; k < m; k++) {
      const re = aHat[2 * k]! * bHat[2 * k]! - aHat[2 * k + 1]! * bHat[2 * k + 1]!;
      const im = aHat[2 * k]! * bHat[2 * k + 1]! + aHat[2 * k + 1]! * bHat[2 * k]!;
      aHat[2 * k] = re;
      aHat[2 * k + 1] = im;
    }
    fft.inverseTransform(conv, aHat);
    for (let k = 0; k < bins; k++) {
      // |c_k · conv_k|² = |conv_k|², since |c_k| = 1.
      const re = conv[2 * k]!;
      const im = conv[2 * k + 1]!;
      out[k] = re * re + im * im;
    }
  };
}
