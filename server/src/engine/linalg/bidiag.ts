// Householder bidiagonalisation of a complex m×n matrix (m ≥ n): A = Q·B·Pᴴ with B REAL upper
// bidiagonal (LAPACK ZGEBRD's choice of reflectors makes every β real), so the iterative part of
// the SVD runs on real numbers only.

import { larfg, applyLeft, applyRight } from './householder';

export interface Bidiagonal {
  m: number;
  n: number;
  /** Diagonal of B (length n). */
  d: Float64Array;
  /** Superdiagonal of B (length max(n−1, 0)). */
  e: Float64Array;
  /** Left reflector i (i < n) at offset i·m + i, length m − i, first entry 1. */
  qr: Float64Array;
  qi: Float64Array;
  qtau: Float64Array; // [re, im] per reflector
  /** Right reflector i (i < n−1) at offset i·n + i + 1, length n − i − 1, first entry 1. */
  pr: Float64Array;
  pi: Float64Array;
  ptau: Float64Array;
}

/** Reduce (re, im) (row-major m×n, m ≥ n), destroying it. */
export function bidiagonalize(m: number, n: number, re: Float64Array, im: Float64Array): Bidiagonal {
  if (m < n) throw new RangeError('bidiagonalize: needs m ≥ n');
  const d = new Float64Array(n), e = new Float64Array(Math.max(n - 1, 0));
  const qr = new Float64Array(n * m), qi = new Float64Array(n * m), qtau = new Float64Array(2 * n);
  const pr = new Float64Array(n * n), pi = new Float64Array(n * n), ptau = new Float64Array(2 * n);
  const wr = new Float64Array(n), wi = new Float64Array(n);
  const out = new Float64Array(3);
  for (let i = 0; i < n; i++) {
    // Left reflector: zero A[i+1:, i].
    const len = m - i, qo = i * m + i;
    for (let r = 0; r < len; r++) {
      qr[qo + r] = re[(i + r) * n + i];
      qi[qo + r] = im[(i + r) * n + i];
    }
    larfg(len, qr, qi, qo, 1, out);
    qtau[2 * i] = out[0]; qtau[2 * i + 1] = out[1];
    d[i] = out[2];
    qr[qo] = 1; qi[qo] = 0;
    applyLeft(len, n - i - 1, qr.subarray(qo), qi.subarray(qo), out[0], -out[1], re, im, i, i + 1, n, wr, wi);
    if (i >= n - 1) break;
    // Right reflector on the conjugated row: zero A[i, i+2:].
    const rl = n - i - 1, po = i * n + i + 1;
    for (let j = 0; j < rl; j++) {
      pr[po + j] = re[i * n + i + 1 + j];
      pi[po + j] = -im[i * n + i + 1 + j];
    }
    larfg(rl, pr, pi, po, 1, out);
    ptau[2 * i] = out[0]; ptau[2 * i + 1] = out[1];
    e[i] = out[2];
    pr[po] = 1; pi[po] = 0;
    applyRight(m - i - 1, rl, pr.subarray(po), pi.subarray(po), out[0], out[1], re, im, i + 1, i + 1, n);
  }
  return { m, n, d, e, qr, qi, qtau, pr, pi, ptau };
}

/** X (m×nc, row-major) ← Q·X, Q = H₀·H₁·…·H_{n−1}. */
export function applyQ(B: Bidiagonal, xr: Float64Array, xi: Float64Array, nc: number): void {
  const { m, n } = B;
  const wr = new Float64Array(nc), wi = new Float64Array(nc);
  for (let i = n - 1; i >= 0; i--) {
    const qo = i * m + i;
    applyLeft(m - i, nc, B.qr.subarray(qo), B.qi.subarray(qo), B.qtau[2 * i], B.qtau[2 * i + 1], xr, xi, i, 0, nc, wr, wi);
  }
}

/** X (nr×n, row-major) ← X·Pᴴ, Pᴴ = G_{n−2}ᴴ·…·G₀ᴴ. */
export function applyPH(B: Bidiagonal, xr: Float64Array, xi: Float64Array, nr: number): void {
  const n = B.n;
  for (let i = n - 2; i >= 0; i--) {
    const po = i * n + i + 1;
    applyRight(nr, n - i - 1, B.pr.subarray(po), B.pi.subarray(po), B.ptau[2 * i], -B.ptau[2 * i + 1], xr, xi, 0, i + 1, n);
  }
}
