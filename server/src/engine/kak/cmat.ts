// Small dense complex matrices (2×2 and 4×4) on interleaved Float64Arrays, row-major, in the
// layout of Mat2/Mat4 in circuit/gates.ts. The dimension is inferred from the length (2n²).
import type { Mat2, Mat4 } from '../circuit/gates';

export interface Complex { re: number; im: number }

/** n for an interleaved n×n matrix. */
export function dim(A: Float64Array): number {
  const n = Math.round(Math.sqrt(A.length / 2));
  if (2 * n * n !== A.length) throw new Error(`cmat: length ${A.length} is not that of a square complex matrix`);
  return n;
}

export function identity(n: number): Float64Array {
  const I = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) I[2 * (i * n + i)] = 1;
  return I;
}

/** A·B. */
export function matmul(A: Float64Array, B: Float64Array): Float64Array {
  const n = dim(A);
  if (B.length !== A.length) throw new Error('cmat: matmul of different sizes');
  const C = new Float64Array(A.length);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sr = 0, si = 0;
      for (let k = 0; k < n; k++) {
        const ar = A[2 * (i * n + k)], ai = A[2 * (i * n + k) + 1];
        const br = B[2 * (k * n + j)], bi = B[2 * (k * n + j) + 1];
        sr += ar * br - ai * bi;
        si += ar * bi + ai * br;
      }
      C[2 * (i * n + j)] = sr;
      C[2 * (i * n + j) + 1] = si;
    }
  }
  return C;
}

/** Product of several matrices, left to right. */
export function matmulAll(first: Float64Array, ...rest: Float64Array[]): Float64Array {
  let P = first;
  for (const M of rest) P = matmul(P, M);
  return P;
}

/** Aᴴ. */
export function adjoint(A: Float64Array): Float64Array {
  const n = dim(A);
  const T = new Float64Array(A.length);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      T[2 * (j * n + i)] = A[2 * (i * n + j)];
      T[2 * (j * n + i) + 1] = -A[2 * (i * n + j) + 1];
    }
  }
  return T;
}

/** Aᵀ (no conjugation). */
export function transpose(A: Float64Array): Float64Array {
  const n = dim(A);
  const T = new Float64Array(A.length);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      T[2 * (j * n + i)] = A[2 * (i * n + j)];
      T[2 * (j * n + i) + 1] = A[2 * (i * n + j) + 1];
    }
  }
  return T;
}

/** A ⊗ B as a Mat4: A acts on the first qubit (basis index 2·b(q0) + b(q1)). */
export function kron(A: Mat2, B: Mat2): Mat4 {
  const K = new Float64Array(32);
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
    const ar = A[2 * (2 * i + j)], ai = A[2 * (2 * i + j) + 1];
    for (let k = 0; k < 2; k++) for (let l = 0; l < 2; l++) {
      const br = B[2 * (2 * k + l)], bi = B[2 * (2 * k + l) + 1];
      const o = 2 * ((2 * i + k) * 4 + (2 * j + l));
      K[o] = ar * br - ai * bi;
      K[o + 1] = ar * bi + ai * br;
    }
  }
  return K;
}

/** e^{i·phase}·A (new array). */
export function scalePhase(A: Float64Array, phase: number): Float64Array {
  const c = Math.cos(phase), s = Math.sin(phase);
  const B = new Float64Array(A.length);
  for (let k = 0; k < A.length; k += 2) {
    B[k] = c * A[k] - s * A[k + 1];
    B[k + 1] = c * A[k + 1] + s * A[k];
  }
  return B;
}

/** Determinant by Gaussian elimination with partial pivoting. */
export function det(A: Float64Array): Complex {
  const n = dim(A);
  const W = A.slice();
  let dr = 1, di = 0;
  for (let c = 0; c < n; c++) {
    let p = c, best = -1;
    for (let r = c; r < n; r++) {
      const m = Math.hypot(W[2 * (r * n + c)], W[2 * (r * n + c) + 1]);
      if (m > best) { best = m; p = r; }
    }
    if (best === 0) return { re: 0, im: 0 };
    if (p !== c) {
      for (let j = 0; j < n; j++) {
        for (let t = 0; t < 2; t++) {
          const x = W[2 * (c * n + j) + t];
          W[2 * (c * n + j) + t] = W[2 * (p * n + j) + t];
          W[2 * (p * n + j) + t] = x;
        }
      }
      dr = -dr; di = -di;
    }
    const pr = W[2 * (c * n + c)], pi = W[2 * (c * n + c) + 1];
    [dr, di] = [dr * pr - di * pi, dr * pi + di * pr];
    const q = pr * pr + pi * pi;
    for (let r = c + 1; r < n; r++) {
      // factor f = W[r][c] / pivot
      const xr = W[2 * (r * n + c)], xi = W[2 * (r * n + c) + 1];
      const fr = (xr * pr + xi * pi) / q, fi = (xi * pr - xr * pi) / q;
      for (let j = c; j < n; j++) {
        const yr = W[2 * (c * n + j)], yi = W[2 * (c * n + j) + 1];
        W[2 * (r * n + j)] -= fr * yr - fi * yi;
        W[2 * (r * n + j) + 1] -= fr * yi + fi * yr;
      }
    }
  }
  return { re: dr, im: di };
}

/** max |A_ij − B_ij|. */
export function maxAbsDiff(A: Float64Array, B: Float64Array): number {
  let m = 0;
  for (let k = 0; k < A.length; k += 2) m = Math.max(m, Math.hypot(A[k] - B[k], A[k + 1] - B[k + 1]));
  return m;
}

/** max |(AᴴA − I)_ij|: how far A is from unitary. */
export function unitarityError(A: Float64Array): number {
  return maxAbsDiff(matmul(adjoint(A), A), identity(dim(A)));
}

/** The φ minimising ‖e^{iφ}A − B‖_F, i.e. arg tr(AᴴB) (0 when that trace vanishes). */
export function phaseFit(A: Float64Array, B: Float64Array): number {
  let re = 0, im = 0;
  for (let k = 0; k < A.length; k += 2) {
    re += A[k] * B[k] + A[k + 1] * B[k + 1];
    im += A[k] * B[k + 1] - A[k + 1] * B[k];
  }
  return re === 0 && im === 0 ? 0 : Math.atan2(im, re);
}

/** max_ij |e^{iφ}A − B| for the best φ: equality up to a global phase. */
export function distanceUpToPhase(A: Float64Array, B: Float64Array): number {
  return maxAbsDiff(scalePhase(A, phaseFit(A, B)), B);
}
