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
import { csvdRank, truncationRank, type Truncation } from '../linalg';
import { gemmRaw, gemmStrided } from '../linalg/gemm';
import { Scratch, allocPair } from '../linalg/scratch';
import { type Mat2, type Mat4, matrix2 } from '../circuit/gates';
import type { Mps } from './mps';
import { moveCenter } from './canonical';
import { applyPhysicalOp } from './contract';
import { applyOp4 } from './local-ops';
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

/** θ of the two-site update (consumed by the SVD, which may use it as its workspace). */
const scratch = new Scratch();

/**
 * In place: u (basis 2·b(i) + b(i+1)) on the bond (i, i+1). The centre is first moved onto the
 * bond (to i if it was left of or at i, else to i+1) and ends on the other site of the bond, so
 * sweeps in either direction need one QR step between neighbouring bonds.
 * Like every update here it replaces site tensors and never writes into existing ones, so a
 * shallow copy of an MPS (new `sites` array, same tensors) is unaffected by it.
 */
export function applyBond(mps: Mps, i: number, u: Mat4, opts: TruncationOptions = {}): number {
  const prof = opts.profile;
  let t0 = prof ? performance.now() : 0;
  const fromLeft = mps.center === undefined || mps.center <= i;
  moveCenter(mps, fromLeft ? i : i + 1);
  const A = mps.sites[i], B = mps.sites[i + 1];
  const chiL = A.left, chiR = B.right;
  if (prof) { const t = performance.now(); prof.move += t - t0; t0 = t; }

  // θ = A·B as [(l, s_i), (s_{i+1}, r)], then the gate on the physical pair.
  const rows = 2 * chiL, w = 2 * chiR, len = rows * w;
  const thr = scratch.get(0, len).subarray(0, len), thi = scratch.get(1, len).subarray(0, len);
  gemmRaw(rows, w, A.right, 1, A.re, A.im, 0, A.right, B.re, B.im, 0, w, thr, thi, 0, w, false);
  // θ stored as [(l, s1), (s2, r)] is [l, (s1 s2), r]: the gate acts on the middle index in place.
  applyOp4(thr, thi, thr, thi, chiL, chiR, u);
  if (prof) { const t = performance.now(); prof.contract += t - t0; t0 = t; }

  // Only the kept singular vectors are formed, and only on the side that becomes orthonormal:
  // the centre's new tensor is then one product with θ (Uᴴ·θ = S·Vh, θ·Vhᴴ = U·S on the kept
  // space), cheaper than the second back-transformation and as accurate (error ε‖θ‖ either way).
  const maxBond = opts.maxBond ?? Infinity, cutoff = opts.cutoff ?? DEFAULT_CUTOFF;
  let tr: Truncation = { keep: 0, discardedWeight: 0 };
  const theta = { rows, cols: w, re: thr, im: thi };
  const rankOf = (s: Float64Array) => (tr = truncationRank(s, maxBond, cutoff)).keep;
  const { U, S, Vh } = csvdRank(theta, rankOf, false, fromLeft ? 'U' : 'Vh');
  const { keep, discardedWeight } = tr;
  if (prof) { const t = performance.now(); prof.svd += t - t0; t0 = t; }

  let total = 0, kept = 0;
  for (let k = S.length - 1; k >= 0; k--) { total += S[k] * S[k]; if (k < keep) kept += S[k] * S[k]; }
  const rescale = kept > 0 ? Math.sqrt(total / kept) : 1;
  // Left factor (2χ_l × keep), right factor (keep × 2χ_r); the weights go to the side the centre
  // moves to, rescaled so the state keeps its norm.
  let ar: Float64Array, ai: Float64Array, br: Float64Array, bi: Float64Array;
  if (fromLeft) {
    ar = U.re; ai = U.im;
    const b = allocPair(keep * w);
    gemmStrided(keep, w, rows, rescale, U.re, U.im, 0, 1, keep, true, thr, thi, 0, w, b.re, b.im, 0, w, false);
    br = b.re; bi = b.im;
    mps.center = i + 1;
  } else {
    br = Vh.re; bi = Vh.im;
    // θ·Vhᴴ with Vhᴴ packed (w × keep).
    const pr = scratch.get(2, w * keep), pi = scratch.get(3, w * keep);
    for (let k = 0; k < keep; k++) for (let j = 0; j < w; j++) { pr[j * keep + k] = Vh.re[k * w + j]; pi[j * keep + k] = -Vh.im[k * w + j]; }
    const a = allocPair(rows * keep);
    gemmStrided(rows, keep, w, rescale, thr, thi, 0, w, 1, false, pr, pi, 0, keep, a.re, a.im, 0, keep, false);
    ar = a.re; ai = a.im;
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


function checkQubit(mps: Mps, q: number): void {
  if (!(Number.isInteger(q) && q >= 0 && q < mps.n)) throw new RangeError(`MPS: qubit ${q} out of range 0..${mps.n - 1}`);
}
