// Householder bidiagonalisation of a complex m×n matrix (m ≥ n): A = Q·B·Pᴴ with B REAL upper
// bidiagonal (LAPACK ZGEBRD's choice of reflectors makes every β real), so the iterative part of
// the SVD runs on real numbers only. Blocked like ZGEBRD (panels in labrd.ts) while the trailing
// matrix is larger than NX, rank-1 updates (ZGEBD2) for the rest.

import { larfg, applyLeft, applyRight } from './householder';
import { makeWYBlock, applyWYLeft } from './wy';
import { makePanelWork, labrdPanel, type PanelStore } from './labrd';

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

/** Panel width of the blocked reduction (8 measured best: the panel's O(n²·NB) side work is slow
 * scalar code) and the trailing size below which it is unblocked. */
const NB = 8;
const NX = 64;

/** Reduce (re, im) (row-major m×n, m ≥ n), destroying it. */
export function bidiagonalize(m: number, n: number, re: Float64Array, im: Float64Array): Bidiagonal {
  if (m < n) throw new RangeError('bidiagonalize: needs m ≥ n');
  const B: Bidiagonal = {
    m, n,
    d: new Float64Array(n), e: new Float64Array(Math.max(n - 1, 0)),
    qr: new Float64Array(n * m), qi: new Float64Array(n * m), qtau: new Float64Array(2 * n),
    pr: new Float64Array(n * n), pi: new Float64Array(n * n), ptau: new Float64Array(2 * n),
  };
  let i0 = 0;
  if (n - i0 > NX) {
    const store: PanelStore = {
      m, n, re, im, d: B.d, e: B.e, qr: B.qr, qi: B.qi, qtau: B.qtau, pr: B.pr, pi: B.pi, ptau: B.ptau,
    };
    const work = makePanelWork(NB, m, n);
    for (; n - i0 > NX; i0 += NB) labrdPanel(store, work, i0, NB);
  }
  unblocked(B, re, im, i0);
  return B;
}

/** Rank-1 (ZGEBD2) reduction of rows/columns ≥ i0. */
function unblocked(B: Bidiagonal, re: Float64Array, im: Float64Array, i0: number): void {
  const { m, n, d, e, qr, qi, qtau, pr, pi, ptau } = B;
  const wr = new Float64Array(n), wi = new Float64Array(n);
  const out = new Float64Array(3);
  for (let i = i0; i < n; i++) {
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
}

/** Reflectors per compact-WY block when back-transforming. */
const WY_BLOCK = 32;
/** Below this many reflectors, building T costs more than it saves: apply them one by one. */
const WY_MIN = 72;

/**
 * X ← H₀·H₁·…·H_{count−1}·X for X row-major with nc columns, where reflector t starts at
 * base + t·stride in (vr, vi) (first entry 1), has length frame − t and acts on rows row0 + t … .
 * Applied last-first, one by one for few reflectors, else as compact-WY blocks.
 */
function applyReflectorsLeft(
  count: number, frame: number, vr: Float64Array, vi: Float64Array, tau: Float64Array,
  base: number, stride: number, row0: number, xr: Float64Array, xi: Float64Array, nc: number,
): void {
  if (count <= 0) return;
  if (count < WY_MIN) {
    const wr = new Float64Array(nc), wi = new Float64Array(nc);
    for (let t = count - 1; t >= 0; t--) {
      const o = base + t * stride;
      applyLeft(frame - t, nc, vr.subarray(o), vi.subarray(o), tau[2 * t], tau[2 * t + 1], xr, xi, row0 + t, 0, nc, wr, wi);
    }
    return;
  }
  const last = Math.floor((count - 1) / WY_BLOCK) * WY_BLOCK;
  for (let t0 = last; t0 >= 0; t0 -= WY_BLOCK) {
    const b = Math.min(WY_BLOCK, count - t0);
    const blk = makeWYBlock(b, frame - t0, vr, vi, base + t0 * stride, stride, tau, t0);
    applyWYLeft(blk, false, xr, xi, row0 + t0, 0, nc, nc);
  }
}

/** X (m×nc, row-major) ← Q·X, Q = H₀·H₁·…·H_{n−1}. */
export function applyQ(B: Bidiagonal, xr: Float64Array, xi: Float64Array, nc: number): void {
  const { m, n } = B;
  applyReflectorsLeft(n, m, B.qr, B.qi, B.qtau, 0, m + 1, 0, xr, xi, nc);
}

/**
 * X (n×nc, row-major) ← P·X, P = G₀·G₁·…·G_{n−2} (acting on rows 1..n−1). Used as Vh = (P·Z)ᴴ:
 * applying from the left gives the gemm kernel long rows, unlike X·Pᴴ.
 */
export function applyP(B: Bidiagonal, xr: Float64Array, xi: Float64Array, nc: number): void {
  const n = B.n;
  applyReflectorsLeft(n - 1, n - 1, B.pr, B.pi, B.ptau, 1, n + 1, 1, xr, xi, nc);
}
