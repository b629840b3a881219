// Two-qubit KAK (Weyl) decomposition:
//   U = e^{i·phase} · (after0 ⊗ after1) · exp(i(a XX + b YY + c ZZ)) · (before0 ⊗ before1).
// In the magic basis B, SU(2)⊗SU(2) is SO(4) and exp(i(aXX+bYY+cZZ)) is diagonal, so for
// M = Bᴴ U B (U scaled into SU(4)) M = K1·Δ·K2 with K1, K2 real orthogonal: K2 diagonalises the
// complex symmetric unitary MᵀM = K2ᵀΔ²K2, whose real and imaginary parts commute.
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';
import type { Mat2, Mat4 } from '../circuit/gates';
import { adjoint, det, identity, kron, matmul, matmulAll, maxAbsDiff, phaseFit, scalePhase, transpose, unitarityError } from './cmat';

export interface Kak {
  a: number;
  b: number;
  c: number;
  /** Applied first: before[0] on q0 (first tensor factor), before[1] on q1. */
  before: [Mat2, Mat2];
  /** Applied last. */
  after: [Mat2, Mat2];
  phase: number;
}

export interface KakOptions {
  /**
   * Largest accepted ‖UᴴU − I‖max; beyond it kak throws (default 1e-7). Accepted input is projected
   * to the nearest unitary (Newton–Schulz), so keep this well below 1.
   */
  tolerance?: number;
}

const R2 = Math.SQRT1_2;
/** Magic basis, columns Φ+, iΨ+, Ψ−, iΦ− (rows |00⟩,|01⟩,|10⟩,|11⟩). */
export const MAGIC: Mat4 = Float64Array.from([
  R2, 0, 0, 0, 0, 0, 0, R2,
  0, 0, 0, R2, R2, 0, 0, 0,
  0, 0, 0, R2, -R2, 0, 0, 0,
  R2, 0, 0, 0, 0, 0, 0, -R2,
]);
const MAGIC_H = adjoint(MAGIC);
/** Eigenvalues of XX, YY, ZZ on the magic basis columns (verified in tests). */
const XS = [1, 1, -1, -1];
const YS = [-1, 1, -1, 1];
const ZS = [1, -1, -1, 1];

/** exp(i(a XX + b YY + c ZZ)) exactly (it splits into span{|00⟩,|11⟩} and span{|01⟩,|10⟩}). */
export function weylMatrix(a: number, b: number, c: number): Mat4 {
  const W = new Float64Array(32);
  const set = (r: number, col: number, re: number, im: number) => { W[2 * (4 * r + col)] = re; W[2 * (4 * r + col) + 1] = im; };
  // On {|00⟩,|11⟩}: aXX + bYY = (a−b)σx, ZZ = +1; on {|01⟩,|10⟩}: (a+b)σx, ZZ = −1.
  const blk = (i: number, j: number, t: number, z: number) => {
    const cr = Math.cos(z), ci = Math.sin(z), ct = Math.cos(t), st = Math.sin(t);
    set(i, i, cr * ct, ci * ct); set(j, j, cr * ct, ci * ct);
    set(i, j, -ci * st, cr * st); set(j, i, -ci * st, cr * st);
  };
  blk(0, 3, a - b, c);
  blk(1, 2, a + b, -c);
  return W;
}

/** (after0⊗after1)·exp(i(aXX+bYY+cZZ))·(before0⊗before1)·e^{i·phase}. */
export function kakMatrix(k: Kak): Mat4 {
  return scalePhase(matmulAll(kron(k.after[0], k.after[1]), weylMatrix(k.a, k.b, k.c), kron(k.before[0], k.before[1])), k.phase);
}

/** Combinations Re + r·Im tried in turn: a fixed r fails only when θj + θk hits atan(r) mod π. */
const MIX = [0.6180339887498949, -1.4142135623730951, 2.718281828459045, -0.3183098861837907, 4.2360679774997900];
/** Eigenvalues of MᵀM closer than this are one degenerate cluster (rotating within it costs ≤ this). */
const CLUSTER_TOL = 1e-13;
/** Reconstruction error against the projected unitary accepted without trying another r. */
const GOOD = 2e-14;
/** Worst reconstruction error (against the projected unitary) returned at all. */
const ACCEPT = 1e-9;

/**
 * KAK decomposition of a 4×4 unitary (basis 2·b(q0) + b(q1)). (a, b, c) are not canonicalised to
 * the Weyl chamber, only reduced to (−π/4, π/4] each; for U = exp(i(aXX+bYY+cZZ)) in that range
 * they come back unchanged with locals ±I. Nearly unitary input is first projected to the
 * nearest unitary; beyond `tolerance` it throws.
 */
export function kak(U: Mat4, options: KakOptions = {}): Kak {
  if (U.length !== 32) throw new Error(`kak: expected a 4×4 complex matrix (32 numbers), got ${U.length}`);
  const tolerance = options.tolerance ?? 1e-7;
  const dev = unitarityError(U);
  if (!(dev <= tolerance)) throw new Error(`kak: matrix is not unitary (‖UᴴU − I‖max = ${dev.toExponential(2)} > ${tolerance})`);
  const Up = projectUnitary(U);
  const d = det(Up);
  const phase0 = Math.atan2(d.im, d.re) / 4;
  const M = matmulAll(MAGIC_H, scalePhase(Up, -phase0), MAGIC);
  const MtM = matmul(transpose(M), M);
  const re: number[][] = [], im: number[][] = [];
  for (let i = 0; i < 4; i++) {
    re.push([]); im.push([]);
    for (let j = 0; j < 4; j++) {
      re[i].push((MtM[2 * (4 * i + j)] + MtM[2 * (4 * j + i)]) / 2);
      im[i].push((MtM[2 * (4 * i + j) + 1] + MtM[2 * (4 * j + i) + 1]) / 2);
    }
  }
  let best: { k: Kak; err: number } | null = null;
  for (const r of MIX) {
    const k = fromEigenvectors(M, re, im, eigenvectors(re, im, r), Up);
    if (!k) continue;
    const err = maxAbsDiff(kakMatrix(k), Up);
    if (!best || err < best.err) best = { k, err };
    if (err <= GOOD) break;
  }
  if (!best || !(best.err <= ACCEPT)) {
    throw new Error(`kak: decomposition failed to reconstruct the input (error ${best ? best.err.toExponential(2) : 'n/a'})`);
  }
  return best.k;
}

/** Nearest unitary by Newton–Schulz, X ← X(3I − XᴴX)/2 (quadratic once ‖XᴴX − I‖ < 1). */
function projectUnitary(U: Mat4): Mat4 {
  let X = U;
  for (let it = 0; it < 6; it++) {
    const G = matmul(adjoint(X), X);
    if (maxAbsDiff(G, identity(4)) <= 1e-15) break;
    for (let k = 0; k < 32; k++) G[k] = -G[k] / 2;
    for (let i = 0; i < 4; i++) G[2 * (5 * i)] += 1.5;
    X = matmul(X, G);
  }
  return X;
}

/** Orthonormal eigenvectors (columns) of Re + r·Im. */
function eigenvectors(re: number[][], im: number[][], r: number): number[][] {
  const S = re.map((row, i) => row.map((v, j) => v + r * im[i][j]));
  const evd = new EigenvalueDecomposition(new Matrix(S), { assumeSymmetric: true });
  return evd.eigenvectorMatrix.to2DArray();
}

/** (PᵀAP)_ij for real symmetric A. */
function congruence(P: number[][], A: number[][], i: number, j: number): number {
  let s = 0;
  for (let k = 0; k < 4; k++) for (let l = 0; l < 4; l++) s += P[k][i] * A[k][l] * P[l][j];
  return s;
}

/** Builds the decomposition from eigenvectors P of MᵀM; null when P is not orthogonal. */
function fromEigenvectors(M: Mat4, re: number[][], im: number[][], P0: number[][], Up: Mat4): Kak | null {
  const P = alignToIdentity(P0, re, im);
  if (!P) return null;
  // θ_k = half the eigenphase; fix Σθ ≡ 0 (mod 2π) so that K1 = M·P·Δ⁻¹ has det +1.
  const theta = [0, 1, 2, 3].map((k) => Math.atan2(congruence(P, im, k, k), congruence(P, re, k, k)) / 2);
  const total = theta.reduce((s, t) => s + t, 0);
  if (Math.abs(wrapPi(total)) > Math.PI / 2) theta[0] += Math.PI;
  // θ_k = a·x_k + b·y_k + c·z_k + φ; the four sign vectors (1, x, y, z) are orthogonal.
  const dot = (v: number[]) => v.reduce((s, x, k) => s + x * theta[k], 0) / 4;
  let a = dot(XS), b = dot(YS), c = dot(ZS), phi = dot([1, 1, 1, 1]);
  // Shifting a (or b, c) and φ together by π/2 moves every θ_k by 0 or π: same MᵀM, so reduce
  // each into (−π/4, π/4] for values continuous with small interactions.
  const reduce = (v: number): number => {
    const s = Math.ceil(v / (Math.PI / 2) - 0.5);
    phi -= s * Math.PI / 2;
    return v - s * Math.PI / 2;
  };
  a = reduce(a); b = reduce(b); c = reduce(c);
  // K1 = M·P·Δ⁻¹ is real orthogonal up to rounding; keep its real part.
  const K1 = new Float64Array(32), K2 = new Float64Array(32);
  for (let i = 0; i < 4; i++) {
    for (let k = 0; k < 4; k++) {
      let sr = 0, si = 0;
      for (let l = 0; l < 4; l++) { sr += M[2 * (4 * i + l)] * P[l][k]; si += M[2 * (4 * i + l) + 1] * P[l][k]; }
      const t = -(a * XS[k] + b * YS[k] + c * ZS[k] + phi);
      K1[2 * (4 * i + k)] = sr * Math.cos(t) - si * Math.sin(t);
      K2[2 * (4 * k + i)] = P[i][k];
    }
  }
  const after = factorLocal(matmulAll(MAGIC, K1, MAGIC_H));
  const before = factorLocal(matmulAll(MAGIC, K2, MAGIC_H));
  const k: Kak = { a, b, c, before, after, phase: 0 };
  // Fitted rather than taken as phase0 + φ: the same up to rounding, and immune to branch slips.
  k.phase = phaseFit(kakMatrix(k), Up);
  return k;
}

/** Angle in (−π, π]. */
function wrapPi(t: number): number {
  const w = t - 2 * Math.PI * Math.round(t / (2 * Math.PI));
  return w <= -Math.PI ? w + 2 * Math.PI : w;
}

/**
 * Among the valid eigenvector bases (column order, signs, and any rotation inside a degenerate
 * eigenspace) picks the one nearest the identity, so that a U that is already exp(i(aXX+bYY+cZZ))
 * gets identity locals; with det = +1. Null when P0 is not orthogonal.
 */
function alignToIdentity(P0: number[][], re: number[][], im: number[][]): number[][] | null {
  const n = 4;
  // Eigenvalue of MᵀM per column, and clusters of (numerically) equal ones.
  const ev = [0, 1, 2, 3].map((k) => [congruence(P0, re, k, k), congruence(P0, im, k, k)]);
  const cluster = [0, 1, 2, 3];
  for (let j = 1; j < n; j++) {
    for (let k = 0; k < j; k++) {
      if (Math.hypot(ev[j][0] - ev[k][0], ev[j][1] - ev[k][1]) < CLUSTER_TOL) { cluster[j] = cluster[k]; break; }
    }
  }
  // weight[c][row] = ‖Π_c e_row‖²: how much of basis vector `row` lies in cluster c's eigenspace.
  const weight = (c: number, row: number) => {
    let s = 0;
    for (let k = 0; k < n; k++) if (cluster[k] === c) s += P0[row][k] * P0[row][k];
    return s;
  };
  // Assign each column a row (basis vector) maximising the total weight; identity wins ties.
  let perm = [0, 1, 2, 3];
  let bestScore = -1;
  for (const p of PERMUTATIONS) {
    let score = 0;
    for (let k = 0; k < n; k++) score += weight(cluster[k], p[k]);
    if (score > bestScore + 1e-12) { bestScore = score; perm = p; }
  }
  // Within each cluster, rotate its columns onto their assigned basis vectors (orthogonal
  // Procrustes: R = polar factor of V_cᵀT_c).
  const P = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
  for (const c of new Set(cluster)) {
    const cols = [0, 1, 2, 3].filter((k) => cluster[k] === c);
    const m = cols.length;
    let R: number[][];
    if (m === 1) R = [[P0[perm[cols[0]]][cols[0]] < 0 ? -1 : 1]];
    else {
      const C = cols.map((ci) => cols.map((cj) => P0[perm[cj]][ci]));
      const svd = new SingularValueDecomposition(new Matrix(C));
      R = svd.leftSingularVectors.mmul(svd.rightSingularVectors.transpose()).to2DArray();
      if (!isOrthogonal(R, 1e-12)) R = cols.map((_, i) => cols.map((__, j) => (i === j ? 1 : 0)));
    }
    for (let j = 0; j < m; j++) {
      for (let row = 0; row < n; row++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += P0[row][cols[i]] * R[i][j];
        P[row][perm[cols[j]]] = s;
      }
    }
  }
  if (!isOrthogonal(P, 1e-12)) return null;
  if (det4(P) < 0) {
    // Flip the column least aligned with its basis vector: keeps P as near the identity as possible.
    let f = 0;
    for (let k = 1; k < n; k++) if (Math.abs(P[k][k]) < Math.abs(P[f][f])) f = k;
    for (let row = 0; row < n; row++) P[row][f] = -P[row][f];
  }
  return P;
}

const PERMUTATIONS: number[][] = (() => {
  const out: number[][] = [];
  const rec = (prefix: number[], rest: number[]) => {
    if (rest.length === 0) { out.push(prefix); return; }
    for (let i = 0; i < rest.length; i++) rec([...prefix, rest[i]], [...rest.slice(0, i), ...rest.slice(i + 1)]);
  };
  rec([], [0, 1, 2, 3]);
  return out;
})();

function isOrthogonal(R: number[][], tol: number): boolean {
  const m = R.length;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += R[k][i] * R[k][j];
      if (Math.abs(s - (i === j ? 1 : 0)) > tol) return false;
    }
  }
  return true;
}

/** Determinant of a real 4×4 (through the complex routine). */
function det4(A: number[][]): number {
  const M: Mat4 = new Float64Array(32);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) M[2 * (4 * i + j)] = A[i][j];
  return det(M).re;
}

/**
 * Splits L = A ⊗ B (A on q0) with A, B ∈ SU(2) up to a shared sign: B is read from the largest
 * 2×2 block A_ij·B, normalised by √det, and A_ij = tr(Bᴴ·block_ij)/2.
 */
function factorLocal(L: Mat4): [Mat2, Mat2] {
  const block = (i: number, j: number): Mat2 => {
    const out = new Float64Array(8);
    for (let k = 0; k < 2; k++) for (let l = 0; l < 2; l++) {
      const src = 2 * ((2 * i + k) * 4 + (2 * j + l));
      out[2 * (2 * k + l)] = L[src];
      out[2 * (2 * k + l) + 1] = L[src + 1];
    }
    return out;
  };
  let bi = 0, bj = 0, bn = -1;
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
    const b = block(i, j);
    let s = 0;
    for (const v of b) s += v * v;
    if (s > bn) { bn = s; bi = i; bj = j; }
  }
  const big = block(bi, bj);
  const d = det(big);
  // principal √det
  const r = Math.sqrt(Math.hypot(d.re, d.im)), t = Math.atan2(d.im, d.re) / 2;
  const sr = r * Math.cos(t), si = r * Math.sin(t), q = sr * sr + si * si;
  const B = new Float64Array(8);
  for (let k = 0; k < 8; k += 2) {
    B[k] = (big[k] * sr + big[k + 1] * si) / q;
    B[k + 1] = (big[k + 1] * sr - big[k] * si) / q;
  }
  const A = new Float64Array(8);
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
    const X = block(i, j);
    // tr(BᴴX) = Σ conj(B_kl)·X_kl
    let tr = 0, ti = 0;
    for (let k = 0; k < 8; k += 2) { tr += B[k] * X[k] + B[k + 1] * X[k + 1]; ti += B[k] * X[k + 1] - B[k + 1] * X[k]; }
    A[2 * (2 * i + j)] = tr / 2;
    A[2 * (2 * i + j) + 1] = ti / 2;
  }
  return [A, B];
}
