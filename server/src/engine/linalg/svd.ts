// Thin complex SVD A = U·diag(S)·Vh.
//
// Algorithm: the LAPACK ZGESVD route. One-sided Jacobi was rejected on a flop estimate: at
// 256×256 a sweep alone costs ~0.3 GFLOP and it needs 6–10 sweeps, versus ~0.7 GFLOP in total
// here, for the same backward-stable ~1e-15 accuracy.
//   1. very tall (m ≥ 1.6 n): QR first, continue with the n×n R;
//   2. Householder bidiagonalisation to a REAL bidiagonal B (blocked, see labrd.ts);
//   3. implicit-shift QR on B (DBDSQR port) accumulating real rotations;
//   4. back-transform the real singular vectors with the reflectors (compact-WY blocks, gemm).
// Measured at 256×256 the four stages cost roughly 27 / 26 / 17+17 ms; the rotation and gemm
// loops run at ~8 and ~12 GFLOP/s, which is about what scalar JS gets.
// Wide matrices are handled through the adjoint.
//
// Small matrices (min(m, n) ≤ 64, every two-site split of an MPS with χ ≤ 32) take a compact path
// instead: the same unblocked reduction and bdsqr, but with every temporary in reused module
// scratch, reflectors applied by offset, and only the wanted singular vectors formed. At these
// sizes allocation and call overhead, not flops, used to dominate (an 8×8 SVD allocated ~30 typed
// arrays); see compactSvd.

import { cconjTranspose, czeros, type CMatrix } from './cmatrix';
import { cmatmul } from './gemm';
import { cqr } from './qr';
import { bidiagonalize, applyQ, applyP } from './bidiag';
import { bdsqr } from './bdsqr';
import { larfg, reflectLeft, reflectRight } from './householder';
import { Scratch, allocPair } from './scratch';

export interface CSVD {
  /** m×k with orthonormal columns, k = min(m, n). */
  U: CMatrix;
  /** k singular values, descending, ≥ 0. */
  S: Float64Array;
  /** k×n with orthonormal rows. */
  Vh: CMatrix;
}

/** LAPACK's crossover (MNTHR ≈ 1.6·n) above which a QR pre-step pays for itself. */
const QR_FIRST_RATIO = 1.6;

/** min(m, n) up to which the compact (unblocked, allocation-free) path runs. */
const COMPACT_MAX = 64;

export function csvd(A: CMatrix): CSVD {
  return csvdRank(A);
}

/** Which singular vectors to form: both factors, or only U (or Vh), the other left empty (0×0). */
export type SvdFactors = 'both' | 'U' | 'Vh';

function empty(): CMatrix {
  return { rows: 0, cols: 0, re: new Float64Array(0), im: new Float64Array(0) };
}

/**
 * Thin SVD keeping only the leading singular vectors: U is m×r and Vh is r×n with
 * r = rank(S) (clamped to [0, k]) chosen from all k = min(m, n) singular values, S (length k,
 * descending) is returned whole. Without `rank` this is `csvd`. With `overwrite` the input's
 * storage may be used as workspace (its contents are then unspecified). With `factors` 'U' or
 * 'Vh' only that factor is formed (the other is returned as an empty 0×0 matrix): a caller that
 * keeps A can get S·Vh = Uᴴ·A (or U·S = A·Vhᴴ) from one gemm, which is cheaper than the second
 * back-transformation.
 * Computing r vectors instead of k saves most of the back-transformation (MPS truncation).
 */
export function csvdRank(A: CMatrix, rank?: (S: Float64Array) => number, overwrite = false, factors: SvdFactors = 'both'): CSVD {
  const m = A.rows, n = A.cols, k = Math.min(m, n);
  if (k === 0) return { U: czeros(m, 0), S: new Float64Array(0), Vh: czeros(0, n) };

  let amax = 0;
  const Are = A.re, Aim = A.im, len = m * n;
  for (let i = 0; i < len; i++) {
    const a = Math.abs(Are[i]), b = Math.abs(Aim[i]);
    if (a > amax) amax = a;
    if (b > amax) amax = b;
    if (a !== a || b !== b) amax = NaN; // NaN fails every comparison above, so flag it explicitly
  }
  if (!Number.isFinite(amax)) throw new RangeError('csvd: matrix has NaN or infinite entries');
  if (amax === 0) return zeroSvd(m, n, rank, factors);

  // Bring entries near 1 so squared norms inside the reflectors never over/underflow; a power of
  // two keeps the rescaling exact.
  const scale = amax < 1e-150 || amax > 1e150 ? 2 ** -Math.round(Math.log2(amax)) : 1;
  if (k <= COMPACT_MAX) return compactSvd(A, scale, rank, overwrite, factors !== 'Vh', factors !== 'U');

  if (m < n) {
    const t = csvdRank(cconjTranspose(A), rank, true);
    return {
      U: factors === 'Vh' ? empty() : cconjTranspose(t.Vh),
      S: t.S,
      Vh: factors === 'U' ? empty() : cconjTranspose(t.U),
    };
  }
  const re = A.re.slice(), im = A.im.slice();
  if (scale !== 1) {
    for (let i = 0; i < re.length; i++) { re[i] *= scale; im[i] *= scale; }
  }

  let out: CSVD;
  if (m >= QR_FIRST_RATIO * n) {
    const { Q, R } = cqr({ rows: m, cols: n, re, im });
    const inner = svdBidiag(n, n, R.re, R.im);
    out = { U: cmatmul(Q, inner.U), S: inner.S, Vh: inner.Vh };
  } else {
    out = svdBidiag(m, n, re, im);
  }
  if (scale !== 1) for (let i = 0; i < out.S.length; i++) out.S[i] /= scale;
  if (rank) {
    const r = clampRank(rank(out.S), n);
    if (r < n) out = { U: leadingColumns(out.U, r), S: out.S, Vh: { rows: r, cols: n, re: out.Vh.re.slice(0, r * n), im: out.Vh.im.slice(0, r * n) } };
  }
  if (factors === 'U') out.Vh = empty();
  else if (factors === 'Vh') out.U = empty();
  return out;
}

function clampRank(r: number, k: number): number {
  return Math.max(0, Math.min(k, Math.floor(r)));
}

function leadingColumns(U: CMatrix, r: number): CMatrix {
  const m = U.rows, K = U.cols;
  const out = czeros(m, r);
  for (let i = 0; i < m; i++) {
    out.re.set(U.re.subarray(i * K, i * K + r), i * r);
    out.im.set(U.im.subarray(i * K, i * K + r), i * r);
  }
  return out;
}

// ---- compact path: unblocked bidiagonalisation, bdsqr, back-transformation of r vectors ----
//
// Everything but the results lives in module scratch (allocation dominated small SVDs). A wide
// matrix is reduced as its adjoint B = Aᴴ = U'·S·Vh' (copied into the workspace anyway), and the
// back-transformation then produces U = Vh'ᴴ = P·Z and Vh = U'ᴴ = Wᵀ·Qᴴ directly, applying the
// reflectors from the left or from the right as the layout needs, so no result is transposed.

const ws = new Scratch();
const larfgOut = new Float64Array(3);

function compactSvd(A: CMatrix, scale: number, rank: ((S: Float64Array) => number) | undefined, overwrite: boolean, wantU: boolean, wantVh: boolean): CSVD {
  const m = A.rows, n = A.cols;
  const wide = m < n;
  const M = wide ? n : m, N = wide ? m : n; // the reduced matrix is M×N, M ≥ N
  const len = M * N;
  // Working copy (or the input itself when allowed and already in the right orientation).
  let br: Float64Array, bi: Float64Array;
  if (wide) {
    br = ws.get(0, len); bi = ws.get(1, len);
    // B = Aᴴ: B[j, i] = conj(A[i, j])
    const Ar = A.re, Ai = A.im;
    for (let i = 0; i < m; i++) {
      const row = i * n;
      for (let j = 0; j < n; j++) { br[j * m + i] = Ar[row + j] * scale; bi[j * m + i] = -Ai[row + j] * scale; }
    }
  } else if (overwrite) {
    br = A.re; bi = A.im;
    if (scale !== 1) for (let i = 0; i < len; i++) { br[i] *= scale; bi[i] *= scale; }
  } else {
    br = ws.get(0, len); bi = ws.get(1, len);
    if (scale === 1) { br.set(A.re.subarray(0, len)); bi.set(A.im.subarray(0, len)); }
    else for (let i = 0; i < len; i++) { br[i] = A.re[i] * scale; bi[i] = A.im[i] * scale; }
  }

  // 1. Bidiagonalise B = Q·Bd·Pᴴ (ZGEBD2), reflectors into contiguous scratch rows.
  const qvr = ws.get(2, N * M), qvi = ws.get(3, N * M);
  const pvr = ws.get(4, N * N), pvi = ws.get(5, N * N);
  const tau = ws.get(6, 4 * N); // [qτ re, im] at 2i, [pτ re, im] at 2N + 2i
  const e = ws.get(7, N);
  const wr = ws.get(8, M), wi = ws.get(9, M);
  const S = new Float64Array(N); // the diagonal, then the singular values
  const out = larfgOut;
  for (let i = 0; i < N; i++) {
    const l = M - i, qo = i * M + i;
    for (let r = 0; r < l; r++) { qvr[qo + r] = br[(i + r) * N + i]; qvi[qo + r] = bi[(i + r) * N + i]; }
    larfg(l, qvr, qvi, qo, 1, out);
    tau[2 * i] = out[0]; tau[2 * i + 1] = out[1];
    S[i] = out[2];
    qvr[qo] = 1; qvi[qo] = 0;
    reflectLeft(l, N - i - 1, qvr, qvi, qo, tau, 2 * i, true, br, bi, i, i + 1, N, wr, wi);
    if (i >= N - 1) break;
    const rl = N - i - 1, po = i * N + i + 1, ro = i * N + i + 1;
    for (let j = 0; j < rl; j++) { pvr[po + j] = br[ro + j]; pvi[po + j] = -bi[ro + j]; }
    larfg(rl, pvr, pvi, po, 1, out);
    tau[2 * N + 2 * i] = out[0]; tau[2 * N + 2 * i + 1] = out[1];
    e[i] = out[2];
    pvr[po] = 1; pvi[po] = 0;
    reflectRight(M - i - 1, rl, pvr, pvi, po, tau, 2 * N + 2 * i, false, br, bi, i + 1, i + 1, N);
  }

  // 2. Real bidiagonal SVD; ut = Wᵀ, vt = Zᵀ accumulate the rotations — only those a wanted
  // factor needs (U uses W, Vh uses Z; the other way round for a wide matrix).
  const needW = wide ? wantVh : wantU, needZ = wide ? wantU : wantVh;
  const ut = ws.get(10, N * N), vt = ws.get(11, N * N);
  if (needW) { ut.fill(0, 0, N * N); for (let i = 0; i < N; i++) ut[i * N + i] = 1; }
  if (needZ) { vt.fill(0, 0, N * N); for (let i = 0; i < N; i++) vt[i * N + i] = 1; }
  bdsqr(N, S, e, needZ ? vt : null, N, needW ? ut : null, N);
  const r = rank ? clampRank(rank(S), N) : N;

  // 3. Back-transformation of r vectors.
  let U: CMatrix | undefined, Vh: CMatrix | undefined;
  if (!wide) {
    if (wantU) {
      // U = Q·[W; 0] (m×r), reflectors from the left on columns.
      const u = allocPair(m * r);
      for (let i = 0; i < N; i++) for (let c = 0; c < r; c++) u.re[i * r + c] = ut[c * N + i];
      for (let t = N - 1; t >= 0; t--) {
        reflectLeft(M - t, r, qvr, qvi, t * M + t, tau, 2 * t, false, u.re, u.im, t, 0, r, wr, wi);
      }
      U = { rows: m, cols: r, re: u.re, im: u.im };
    }
    if (wantVh) {
      // Vh = Zᵀ·Pᴴ (r×n), reflectors (conjugated) from the right on rows.
      const v = allocPair(r * n);
      v.re.set(vt.subarray(0, r * n));
      for (let t = N - 2; t >= 0; t--) {
        reflectRight(r, N - t - 1, pvr, pvi, t * N + t + 1, tau, 2 * N + 2 * t, true, v.re, v.im, 0, t + 1, N);
      }
      Vh = { rows: r, cols: n, re: v.re, im: v.im };
    }
  } else {
    // A = Bᴴ = P·Z·S·Wᵀ·Qᴴ: U = P·Z (m×r) from the left, Vh = Wᵀ·Qᴴ (r×n) from the right.
    if (wantU) {
      const u = allocPair(m * r);
      for (let i = 0; i < N; i++) for (let c = 0; c < r; c++) u.re[i * r + c] = vt[c * N + i];
      for (let t = N - 2; t >= 0; t--) {
        reflectLeft(N - t - 1, r, pvr, pvi, t * N + t + 1, tau, 2 * N + 2 * t, false, u.re, u.im, t + 1, 0, r, wr, wi);
      }
      U = { rows: m, cols: r, re: u.re, im: u.im };
    }
    if (wantVh) {
      const v = allocPair(r * n);
      for (let c = 0; c < r; c++) v.re.set(ut.subarray(c * N, c * N + N), c * n);
      for (let t = N - 1; t >= 0; t--) {
        reflectRight(r, M - t, qvr, qvi, t * M + t, tau, 2 * t, true, v.re, v.im, 0, t, M);
      }
      Vh = { rows: r, cols: n, re: v.re, im: v.im };
    }
  }
  if (scale !== 1) for (let i = 0; i < N; i++) S[i] /= scale;
  return { U: U ?? empty(), S, Vh: Vh ?? empty() };
}

/** Core path for m ≥ n; destroys (re, im). */
function svdBidiag(m: number, n: number, re: Float64Array, im: Float64Array): CSVD {
  const B = bidiagonalize(m, n, re, im);
  const d = B.d, e = B.e.slice();
  // Real rotation accumulators: ut = Wᵀ, vt = Zᵀ for B = W·Σ·Zᵀ.
  const ut = new Float64Array(n * n), vt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) { ut[i * n + i] = 1; vt[i * n + i] = 1; }
  bdsqr(n, d, e, vt, n, ut, n);

  // U = Q·[W; 0]
  const U = czeros(m, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) U.re[i * n + j] = ut[j * n + i];
  applyQ(B, U.re, U.im, n);
  // Vh = (P·Z)ᴴ
  const V = czeros(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) V.re[i * n + j] = vt[j * n + i];
  applyP(B, V.re, V.im, n);
  return { U, S: d, Vh: cconjTranspose(V) };
}

function zeroSvd(m: number, n: number, rank: ((S: Float64Array) => number) | undefined, factors: SvdFactors): CSVD {
  const k = Math.min(m, n);
  const S = new Float64Array(k);
  const r = rank ? clampRank(rank(S), k) : k;
  const U = czeros(m, r), Vh = czeros(r, n);
  for (let i = 0; i < r; i++) { U.re[i * r + i] = 1; Vh.re[i * n + i] = 1; }
  return { U: factors === 'Vh' ? empty() : U, S, Vh: factors === 'U' ? empty() : Vh };
}
