// Thin complex Householder QR: A (m×n) = Q (m×k) · R (k×n), k = min(m, n).

import { cconjTranspose, czeros, type CMatrix } from './cmatrix';
import { larfg, applyLeft, reflectLeft, reflectRight } from './householder';
import { makeWYBlock, applyWYLeft } from './wy';
import { Scratch, allocPair } from './scratch';

export interface CQR { Q: CMatrix; R: CMatrix }

/** A = L·Q with L (m×k) lower triangular, real non-negative diagonal, Q (k×n) orthonormal rows. */
export interface CLQ { L: CMatrix; Q: CMatrix }

/** Factored form kept between the factorisation and the explicit Q. */
interface Reflectors {
  /** k reflectors, reflector i stored in row i of an k×m buffer (entries i..m−1, v_i[i] = 1). */
  vr: Float64Array;
  vi: Float64Array;
  tau: Float64Array; // interleaved [re, im] per reflector
}

/**
 * Householder QR. R has a real non-negative diagonal (so the factorisation is unique for full
 * column rank), Q has orthonormal columns.
 */
export function cqr(A: CMatrix): CQR {
  const m = A.rows, n = A.cols, k = Math.min(m, n);
  if (k <= COMPACT_MAX) return compactQr(A);
  const W = { re: A.re.slice(), im: A.im.slice() };
  const refl = householderQR(m, n, W.re, W.im);
  const R = czeros(k, n);
  for (let i = 0; i < k; i++) {
    R.re.set(W.re.subarray(i * n + i, i * n + n), i * n + i);
    R.im.set(W.im.subarray(i * n + i, i * n + n), i * n + i);
  }
  const Q = formQ(m, k, refl);
  // β from larfg is real but may be negative: flip row i of R and column i of Q together.
  for (let i = 0; i < k; i++) {
    if (R.re[i * n + i] < 0) {
      for (let j = i; j < n; j++) { R.re[i * n + j] = -R.re[i * n + j]; R.im[i * n + j] = -R.im[i * n + j]; }
      R.im[i * n + i] = 0; // avoid −0 on the (exactly real) diagonal
      for (let r = 0; r < m; r++) { Q.re[r * k + i] = -Q.re[r * k + i]; Q.im[r * k + i] = -Q.im[r * k + i]; }
    }
  }
  return { Q, R };
}

/** Panel width for the blocked (compact-WY) algorithm; below this everything is unblocked. */
const NB = 32;

/**
 * In-place factorisation of the m×n row-major (re, im); R ends up in the upper triangle.
 * Blocked like LAPACK ZGEQRF: factor a panel of NB columns with rank-1 updates, then apply the
 * panel's reflectors to the trailing columns as one compact-WY block (three gemm calls).
 */
function householderQR(m: number, n: number, re: Float64Array, im: Float64Array): Reflectors {
  const k = Math.min(m, n);
  const vr = new Float64Array(k * m), vi = new Float64Array(k * m);
  const tau = new Float64Array(2 * k);
  const wr = new Float64Array(n), wi = new Float64Array(n);
  const out = new Float64Array(3);
  for (let i0 = 0; i0 < k; i0 += NB) {
    const b = Math.min(NB, k - i0);
    const panelEnd = i0 + b;
    for (let i = i0; i < panelEnd; i++) {
      const len = m - i, vo = i * m + i;
      // Gather column i (strided in row-major) into a contiguous reflector slot.
      for (let r = 0; r < len; r++) {
        vr[vo + r] = re[(i + r) * n + i];
        vi[vo + r] = im[(i + r) * n + i];
      }
      larfg(len, vr, vi, vo, 1, out);
      tau[2 * i] = out[0]; tau[2 * i + 1] = out[1];
      re[i * n + i] = out[2]; im[i * n + i] = 0;
      for (let r = 1; r < len; r++) { re[(i + r) * n + i] = 0; im[(i + r) * n + i] = 0; }
      vr[vo] = 1; vi[vo] = 0;
      // Hᴴ from the left: within the panel only, or on everything when unblocked.
      const cEnd = n - panelEnd >= NB ? panelEnd : n;
      applyLeft(len, cEnd - i - 1, vr.subarray(vo), vi.subarray(vo), out[0], -out[1], re, im, i, i + 1, n, wr, wi);
    }
    if (n - panelEnd >= NB) {
      const blk = makeWYBlock(b, m - i0, vr, vi, i0 * (m + 1), m + 1, tau, i0);
      applyWYLeft(blk, true, re, im, i0, panelEnd, n - panelEnd, n);
    }
  }
  return { vr, vi, tau };
}

/** Explicit thin Q = H₀·H₁·…·H_{k−1}·I[:, :k], applied backwards so only a shrinking block is touched. */
function formQ(m: number, k: number, refl: Reflectors): CMatrix {
  const Q = czeros(m, k);
  for (let i = 0; i < k; i++) Q.re[i * k + i] = 1;
  if (k < 2 * NB) {
    const wr = new Float64Array(k), wi = new Float64Array(k);
    for (let i = k - 1; i >= 0; i--) {
      const vo = i * m + i;
      applyLeft(m - i, k - i, refl.vr.subarray(vo), refl.vi.subarray(vo), refl.tau[2 * i], refl.tau[2 * i + 1],
        Q.re, Q.im, i, i, k, wr, wi);
    }
    return Q;
  }
  const last = Math.floor((k - 1) / NB) * NB;
  for (let i0 = last; i0 >= 0; i0 -= NB) {
    const b = Math.min(NB, k - i0);
    const blk = makeWYBlock(b, m - i0, refl.vr, refl.vi, i0 * (m + 1), m + 1, refl.tau, i0);
    applyWYLeft(blk, false, Q.re, Q.im, i0, i0, k - i0, k);
  }
  return Q;
}

// ---- compact path (k ≤ COMPACT_MAX): unblocked, temporaries in module scratch ----

/** min(m, n) up to which QR and LQ run unblocked without allocating temporaries. */
const COMPACT_MAX = 64;
const ws = new Scratch();
const out3 = new Float64Array(3);

function compactQr(A: CMatrix): CQR {
  const m = A.rows, n = A.cols, k = Math.min(m, n);
  const len = m * n;
  const wr = ws.get(0, len), wi = ws.get(1, len);
  wr.set(A.re.subarray(0, len)); wi.set(A.im.subarray(0, len));
  const vr = ws.get(2, k * m), vi = ws.get(3, k * m);
  const tau = ws.get(4, 2 * k);
  const tr = ws.get(5, Math.max(n, k)), ti = ws.get(6, Math.max(n, k));
  const R = allocPair(k * n);
  for (let i = 0; i < k; i++) {
    const l = m - i, vo = i * m + i;
    for (let r = 0; r < l; r++) { vr[vo + r] = wr[(i + r) * n + i]; vi[vo + r] = wi[(i + r) * n + i]; }
    larfg(l, vr, vi, vo, 1, out3);
    tau[2 * i] = out3[0]; tau[2 * i + 1] = out3[1];
    vr[vo] = 1; vi[vo] = 0;
    reflectLeft(l, n - i - 1, vr, vi, vo, tau, 2 * i, true, wr, wi, i, i + 1, n, tr, ti);
    // Row i of R is final now: β on the diagonal (made ≥ 0 below), the updated row to its right.
    const ro = i * n;
    R.re[ro + i] = out3[2];
    for (let j = i + 1; j < n; j++) { R.re[ro + j] = wr[ro + j]; R.im[ro + j] = wi[ro + j]; }
  }
  // Q = H₀·…·H_{k−1}·I[:, :k], backwards so only a shrinking block is touched.
  const Q = allocPair(m * k);
  for (let i = 0; i < k; i++) Q.re[i * k + i] = 1;
  for (let i = k - 1; i >= 0; i--) {
    reflectLeft(m - i, k - i, vr, vi, i * m + i, tau, 2 * i, false, Q.re, Q.im, i, i, k, tr, ti);
  }
  // β is real but may be negative: flip row i of R and column i of Q together.
  for (let i = 0; i < k; i++) {
    if (R.re[i * n + i] < 0) {
      for (let j = i; j < n; j++) { R.re[i * n + j] = -R.re[i * n + j]; R.im[i * n + j] = -R.im[i * n + j]; }
      R.im[i * n + i] = 0;
      for (let r = 0; r < m; r++) { Q.re[r * k + i] = -Q.re[r * k + i]; Q.im[r * k + i] = -Q.im[r * k + i]; }
    }
  }
  return { Q: { rows: m, cols: k, re: Q.re, im: Q.im }, R: { rows: k, cols: n, re: R.re, im: R.im } };
}

/**
 * LQ factorisation A = L·Q (the QR of Aᴴ, adjointed): L (m×k) lower triangular with a real
 * non-negative diagonal, Q (k×n) with orthonormal rows. On row-major storage the reflectors run
 * along rows, so this is the cache-friendly way to right-orthonormalise an MPS site.
 */
export function clq(A: CMatrix): CLQ {
  const m = A.rows, n = A.cols, k = Math.min(m, n);
  if (k > COMPACT_MAX) {
    const { Q, R } = cqr(cconjTranspose(A));
    return { L: cconjTranspose(R), Q: cconjTranspose(Q) };
  }
  const len = m * n;
  const wr = ws.get(0, len), wi = ws.get(1, len);
  wr.set(A.re.subarray(0, len)); wi.set(A.im.subarray(0, len));
  const vr = ws.get(2, k * n), vi = ws.get(3, k * n);
  const tau = ws.get(4, 2 * k);
  const L = allocPair(m * k);
  for (let i = 0; i < k; i++) {
    // Reflector from the conjugated row i, columns i..n−1; applied to the rows below from the right.
    const l = n - i, vo = i * n + i, ro = i * n + i;
    for (let j = 0; j < l; j++) { vr[vo + j] = wr[ro + j]; vi[vo + j] = -wi[ro + j]; }
    larfg(l, vr, vi, vo, 1, out3);
    tau[2 * i] = out3[0]; tau[2 * i + 1] = out3[1];
    vr[vo] = 1; vi[vo] = 0;
    reflectRight(m - i - 1, l, vr, vi, vo, tau, 2 * i, false, wr, wi, i + 1, i, n);
    // Column i of L is final now: β on the diagonal, the updated column below it.
    L.re[i * k + i] = out3[2];
    for (let r = i + 1; r < m; r++) { L.re[r * k + i] = wr[r * n + i]; L.im[r * k + i] = wi[r * n + i]; }
  }
  // Q = [I_k 0]·H_{k−1}ᴴ·…·H₀ᴴ; rows < t are still unit rows when H_tᴴ is applied.
  const Q = allocPair(k * n);
  for (let i = 0; i < k; i++) Q.re[i * n + i] = 1;
  for (let t = k - 1; t >= 0; t--) {
    reflectRight(k - t, n - t, vr, vi, t * n + t, tau, 2 * t, true, Q.re, Q.im, t, t, n);
  }
  for (let i = 0; i < k; i++) {
    if (L.re[i * k + i] < 0) {
      for (let r = i; r < m; r++) { L.re[r * k + i] = -L.re[r * k + i]; L.im[r * k + i] = -L.im[r * k + i]; }
      L.im[i * k + i] = 0;
      for (let j = 0; j < n; j++) { Q.re[i * n + j] = -Q.re[i * n + j]; Q.im[i * n + j] = -Q.im[i * n + j]; }
    }
  }
  return { L: { rows: m, cols: k, re: L.re, im: L.im }, Q: { rows: k, cols: n, re: Q.re, im: Q.im } };
}
