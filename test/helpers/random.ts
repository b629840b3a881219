// Seeded PRNG for reproducible tests and benchmarks: mulberry32 + Box–Muller gaussians.
import { czeros, type CMatrix } from '../../server/src/engine/linalg';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal. */
  gauss(): number;
}

export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | null = null;
  const gauss = (): number => {
    if (spare !== null) { const s = spare; spare = null; return s; }
    let u = 0;
    while (u === 0) u = next(); // log(0) guard
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  return { next, gauss };
}

/** rows×cols matrix with independent standard complex gaussian entries (re, im ~ N(0, 1)). */
export function randomCMatrix(rows: number, cols: number, r: Rng): CMatrix {
  const A = czeros(rows, cols);
  for (let i = 0; i < A.re.length; i++) { A.re[i] = r.gauss(); A.im[i] = r.gauss(); }
  return A;
}
