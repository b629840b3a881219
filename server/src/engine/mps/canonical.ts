// Canonical form: moving the orthogonality centre with thin QR factorisations (in place).
// A left step makes site i left-orthonormal and pushes R into site i+1; a right step uses the QR
// of the adjoint (an LQ) and pushes L into site i−1. Thin factors also drop bond dimension that
// exceeds the rank a bond can carry (e.g. χ > 2^i near the ends).
import { clq, cqr, type CMatrix } from '../linalg';
import { gemmRaw } from '../linalg/gemm';
import { allocPair } from '../linalg/scratch';
import type { Mps, SiteTensor } from './mps';

/** The tensor's storage viewed as a (2·left × right) matrix (no copy). */
export function asLeftMatrix(t: SiteTensor): CMatrix {
  return { rows: t.left * 2, cols: t.right, re: t.re, im: t.im };
}

/** The tensor's storage viewed as a (left × 2·right) matrix (no copy). */
export function asRightMatrix(t: SiteTensor): CMatrix {
  return { rows: t.left, cols: t.right * 2, re: t.re, im: t.im };
}

/** A (2·left × right) or (left × 2·right) matrix's storage as a tensor (no copy). */
export function tensorOf(left: number, right: number, m: CMatrix): SiteTensor {
  return { left, right, re: m.re, im: m.im };
}

/** In place: site i becomes left-orthonormal; the remainder moves into site i+1. */
function leftStep(mps: Mps, i: number): void {
  const a = mps.sites[i], b = mps.sites[i + 1];
  const { Q, R } = cqr(asLeftMatrix(a));
  const k = Q.cols, w = 2 * b.right;
  mps.sites[i] = tensorOf(a.left, k, Q);
  // R (k × a.right) · b (b.left × 2·b.right), written straight into the new tensor.
  const nb = allocPair(k * w);
  gemmRaw(k, w, a.right, 1, R.re, R.im, 0, a.right, b.re, b.im, 0, w, nb.re, nb.im, 0, w, false);
  mps.sites[i + 1] = { left: k, right: b.right, re: nb.re, im: nb.im };
}

/** In place: site i becomes right-orthonormal; the remainder moves into site i−1. */
function rightStep(mps: Mps, i: number): void {
  const a = mps.sites[i - 1], b = mps.sites[i];
  // B = L·Q with orthonormal rows of Q (an LQ along the rows of the row-major storage).
  const { L, Q } = clq(asRightMatrix(b));
  const k = Q.rows, h = 2 * a.left;
  mps.sites[i] = tensorOf(k, b.right, Q);
  // a (2·a.left × a.right) · L (a.right × k)
  const na = allocPair(h * k);
  gemmRaw(h, k, a.right, 1, a.re, a.im, 0, a.right, L.re, L.im, 0, k, na.re, na.im, 0, k, false);
  mps.sites[i - 1] = { left: a.left, right: k, re: na.re, im: na.im };
}

/**
 * In place: brings the orthogonality centre to `site`. With a known centre only the sites
 * between the two move (O(distance·χ³)); otherwise the whole chain is canonicalised.
 */
export function moveCenter(mps: Mps, site: number): void {
  checkSite(mps, site);
  if (mps.center === undefined) { canonicalize(mps, site); return; }
  for (let i = mps.center; i < site; i++) leftStep(mps, i);
  for (let i = mps.center; i > site; i--) rightStep(mps, i);
  mps.center = site;
}

/** In place: full QR sweeps from both ends to `site` (default 0), whatever the previous form. */
export function canonicalize(mps: Mps, site = 0): void {
  checkSite(mps, site);
  for (let i = 0; i < site; i++) leftStep(mps, i);
  for (let i = mps.n - 1; i > site; i--) rightStep(mps, i);
  mps.center = site;
}

/** In place: scales the state to unit norm; returns the norm it had. Leaves the centre in place (or at 0). */
export function normalizeMps(mps: Mps): number {
  if (mps.center === undefined) canonicalize(mps, 0);
  const t = mps.sites[mps.center as number];
  let s = 0;
  for (let k = 0; k < t.re.length; k++) s += t.re[k] * t.re[k] + t.im[k] * t.im[k];
  const norm = Math.sqrt(s);
  if (norm > 0) {
    const inv = 1 / norm;
    for (let k = 0; k < t.re.length; k++) { t.re[k] *= inv; t.im[k] *= inv; }
  }
  return norm;
}

function checkSite(mps: Mps, site: number): void {
  if (!(Number.isInteger(site) && site >= 0 && site < mps.n)) throw new RangeError(`MPS: site ${site} out of range 0..${mps.n - 1}`);
}
