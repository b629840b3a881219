// Gates on an MPS (in place). A two-qubit gate on neighbours contracts the two sites into
// θ (2χ_l × 2χ_r), applies the 4×4, splits θ with an SVD and truncates; the centre stays on the
// bond. Gates on distant qubits travel through SWAPs that are undone afterwards.
//
// Truncation: with singular values s_k, keeping the first `keep` discards the relative weight
//   δ = Σ_{k ≥ keep} s_k² / Σ_k s_k²
// and the kept values are rescaled so the state keeps its norm. For one split of a normalised
// state, 1 − F = δ exactly (F the fidelity with the untruncated state). Over a sequence of splits
// the usual estimate is 1 − F ≈ Σ δ (the errors are close to orthogonal in practice); the
// rigorous bound is 1 − F ≤ (Σ d)² with d = ‖ψ − ψ_trunc‖ = √(2 − 2√(1 − δ)) ≈ √δ per split,
// by the triangle inequality (unitaries preserve distances). A TruncationTally keeps both.
import { cmatmul, csvd, truncationRank } from '../linalg';
import { type Mat2, type Mat4, matrix2 } from '../circuit/gates';
import type { Mps } from './mps';
import { asLeftMatrix, asRightMatrix, moveCenter } from './canonical';
import { applyPhysicalOp } from './contract';
import { isUnitary, swapQubitOrder } from './small';

/** Relative discarded weight below which singular values go by default: below what a double fidelity resolves. */
export const DEFAULT_CUTOFF = 1e-16;

/** Accumulated truncation statistics over many splits. */
export interface TruncationTally {
  /** SVD splits performed. */
  splits: number;
  /** Σ δ over splits: the usual estimate of 1 − F. */
  discardedWeight: number;
  /** Σ √(2 − 2√(1 − δ)) over splits: its square bounds 1 − F rigorously. */
  distance: number;
  /** Largest bond dimension any split kept. */
  maxBond: number;
}

export function newTally(): TruncationTally {
  return { splits: 0, discardedWeight: 0, distance: 0, maxBond: 1 };
}

/** Wall time (ms) spent in the phases of two-qubit updates, for benchmarks. */
export interface SplitProfile { move: number; contract: number; svd: number; assemble: number }

export function newProfile(): SplitProfile {
  return { move: 0, contract: 0, svd: 0, assemble: 0 };
}

export interface TruncationOptions {
  /** Bond dimension cap (default: none). */
  maxBond?: number;
  /** Largest relative discarded weight δ allowed per split (default DEFAULT_CUTOFF). */
  cutoff?: number;
  /** When given, every split adds to it. */
  tally?: TruncationTally;
  /** When given, phase timings add to it. */
  profile?: SplitProfile;
}

/** In place: applies a 2×2 matrix to qubit q. Keeps the centre when u is unitary or acts on it. */
export function applyOneQubit(mps: Mps, q: number, u: Mat2): void {
  checkQubit(mps, q);
  const t = mps.sites[q];
  applyPhysicalOp(t.re, t.im, t.left, t.right, u);
  if (mps.center !== undefined && mps.center !== q && !isUnitary(u, 2)) mps.center = undefined;
}

const SWAP: Mat4 = matrix2('swap');

/**
 * In place: applies a 4×4 matrix u (basis index 2·b(q0) + b(q1), as in circuit/gates.ts) to
 * qubits q0 ≠ q1 in either order. Distant qubits are brought together by SWAPs on the MPS and
 * moved back (each SWAP is a split too). Returns the summed discarded weight δ of its splits.
 */
export function applyTwoQubit(mps: Mps, q0: number, q1: number, u: Mat4, opts: TruncationOptions = {}): number {
  checkQubit(mps, q0);
  checkQubit(mps, q1);
  if (q0 === q1) throw new RangeError(`applyTwoQubit: both qubits are ${q0}`);
  const lo = Math.min(q0, q1), hi = Math.max(q0, q1);
  const g = q0 === lo ? u : swapQubitOrder(u);
  let dw = 0;
  // The content of qubit hi walks down to site lo+1, the gate acts on the bond (lo, lo+1), then back.
  for (let k = hi - 1; k > lo; k--) dw += applyBond(mps, k, SWAP, opts);
  dw += applyBond(mps, lo, g, opts);
  for (let k = lo + 1; k < hi; k++) dw += applyBond(mps, k, SWAP, opts);
  return dw;
}

/**
 * In place: u (basis 2·b(i) + b(i+1)) on the bond (i, i+1). The centre is first moved onto the
 * bond (to i if it was left of or at i, else to i+1) and ends on the other site of the bond, so
 * sweeps in either direction need one QR step between neighbouring bonds.
 */
export function applyBond(mps: Mps, i: number, u: Mat4, opts: TruncationOptions = {}): number {
  const prof = opts.profile;
  let t0 = prof ? performance.now() : 0;
  const fromLeft = mps.center === undefined || mps.center <= i;
  moveCenter(mps, fromLeft ? i : i + 1);
  const A = mps.sites[i], B = mps.sites[i + 1];
  const chiL = A.left, chiR = B.right;
  if (prof) { const t = performance.now(); prof.move += t - t0; t0 = t; }

  const theta = cmatmul(asLeftMatrix(A), asRightMatrix(B)); // [(l, s_i), (s_{i+1}, r)]
  gateOnTheta(theta.re, theta.im, chiL, chiR, u);
  if (prof) { const t = performance.now(); prof.contract += t - t0; t0 = t; }

  const { U, S, Vh } = csvd(theta);
  if (prof) { const t = performance.now(); prof.svd += t - t0; t0 = t; }

  const { keep, discardedWeight } = truncationRank(S, opts.maxBond ?? Infinity, opts.cutoff ?? DEFAULT_CUTOFF);
  let total = 0, kept = 0;
  for (let k = S.length - 1; k >= 0; k--) { total += S[k] * S[k]; if (k < keep) kept += S[k] * S[k]; }
  const rescale = kept > 0 ? Math.sqrt(total / kept) : 1;

  // Left factor: the first `keep` columns of U (2χ_l × K).
  const K = U.cols;
  let ar = U.re, ai = U.im;
  if (keep < K) {
    const rows = 2 * chiL;
    ar = new Float64Array(rows * keep); ai = new Float64Array(rows * keep);
    for (let r = 0; r < rows; r++) {
      ar.set(U.re.subarray(r * K, r * K + keep), r * keep);
      ai.set(U.im.subarray(r * K, r * K + keep), r * keep);
    }
  }
  // Right factor: the first `keep` rows of Vh (K × 2χ_r), a prefix of its storage.
  const w = 2 * chiR;
  const br = keep < K ? Vh.re.slice(0, keep * w) : Vh.re;
  const bi = keep < K ? Vh.im.slice(0, keep * w) : Vh.im;
  if (fromLeft) {
    for (let k = 0; k < keep; k++) scaleRange(br, bi, k * w, w, S[k] * rescale);
    mps.center = i + 1;
  } else {
    for (let r = 0; r < 2 * chiL; r++) for (let k = 0; k < keep; k++) {
      const s = S[k] * rescale;
      ar[r * keep + k] *= s; ai[r * keep + k] *= s;
    }
    mps.center = i;
  }
  mps.sites[i] = { left: chiL, right: keep, re: ar, im: ai };
  mps.sites[i + 1] = { left: keep, right: chiR, re: br, im: bi };
  if (prof) prof.assemble += performance.now() - t0;

  const tally = opts.tally;
  if (tally) {
    tally.splits++;
    tally.discardedWeight += discardedWeight;
    // √(2 − 2√(1−δ)) written without cancellation for small δ.
    tally.distance += Math.sqrt((2 * discardedWeight) / (1 + Math.sqrt(Math.max(0, 1 - discardedWeight))));
    if (keep > tally.maxBond) tally.maxBond = keep;
  }
  return discardedWeight;
}

/** In place on θ stored as [(l, s1), (s2, r)]: θ[l, ·, ·, r] ← u · θ[l, ·, ·, r] with index 2·s1 + s2. */
function gateOnTheta(re: Float64Array, im: Float64Array, chiL: number, chiR: number, u: Mat4): void {
  const [
    u00r, u00i, u01r, u01i, u02r, u02i, u03r, u03i,
    u10r, u10i, u11r, u11i, u12r, u12i, u13r, u13i,
    u20r, u20i, u21r, u21i, u22r, u22i, u23r, u23i,
    u30r, u30i, u31r, u31i, u32r, u32i, u33r, u33i,
  ] = u;
  const w = 2 * chiR;
  for (let l = 0; l < chiL; l++) {
    const o0 = 2 * l * w, o1 = o0 + chiR, o2 = o0 + w, o3 = o2 + chiR;
    for (let r = 0; r < chiR; r++) {
      const ar = re[o0 + r], ai = im[o0 + r], br = re[o1 + r], bi = im[o1 + r];
      const cr = re[o2 + r], ci = im[o2 + r], dr = re[o3 + r], di = im[o3 + r];
      re[o0 + r] = u00r * ar - u00i * ai + u01r * br - u01i * bi + u02r * cr - u02i * ci + u03r * dr - u03i * di;
      im[o0 + r] = u00r * ai + u00i * ar + u01r * bi + u01i * br + u02r * ci + u02i * cr + u03r * di + u03i * dr;
      re[o1 + r] = u10r * ar - u10i * ai + u11r * br - u11i * bi + u12r * cr - u12i * ci + u13r * dr - u13i * di;
      im[o1 + r] = u10r * ai + u10i * ar + u11r * bi + u11i * br + u12r * ci + u12i * cr + u13r * di + u13i * dr;
      re[o2 + r] = u20r * ar - u20i * ai + u21r * br - u21i * bi + u22r * cr - u22i * ci + u23r * dr - u23i * di;
      im[o2 + r] = u20r * ai + u20i * ar + u21r * bi + u21i * br + u22r * ci + u22i * cr + u23r * di + u23i * dr;
      re[o3 + r] = u30r * ar - u30i * ai + u31r * br - u31i * bi + u32r * cr - u32i * ci + u33r * dr - u33i * di;
      im[o3 + r] = u30r * ai + u30i * ar + u31r * bi + u31i * br + u32r * ci + u32i * cr + u33r * di + u33i * dr;
    }
  }
}

function scaleRange(re: Float64Array, im: Float64Array, off: number, len: number, s: number): void {
  for (let j = off; j < off + len; j++) { re[j] *= s; im[j] *= s; }
}

function checkQubit(mps: Mps, q: number): void {
  if (!(Number.isInteger(q) && q >= 0 && q < mps.n)) throw new RangeError(`MPS: qubit ${q} out of range 0..${mps.n - 1}`);
}
