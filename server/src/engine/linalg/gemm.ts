// Complex matrix multiply C = op(A)·op(B) on split re/im row-major storage.
//
// Kernel shape (measured on V8, see bench/linalg.bench.ts): an i-k-j "axpy" loop that updates
// 8 rows of C with 2 rows of B per pass. Each loaded B element feeds 8 rows and each C element
// is loaded/stored once per 2 k-steps: ~12 GFLOP/s, versus ~4 for the plain i-k-j loop, ~11 for
// 4 rows and ~6.5 for register-blocked dot products (more k-steps per pass ran out of
// registers). Cache blocking did not help up to 256×256 (the operands fit in L2), so there is
// none. Transposed operands are packed once (O(n²)) so the O(n³) loop always runs on contiguous
// rows.

import { czeros, type CMatrix } from './cmatrix';
import { Scratch } from './scratch';

/** 'N': as is, 'T': transpose, 'C': conjugate transpose (adjoint). */
export type MatOp = 'N' | 'T' | 'C';

/**
 * Low-level kernel: C ← α·A·B (+ C if `accumulate`), all row-major with explicit offsets and
 * leading dimensions so callers can work on sub-blocks without copying. α is real.
 * C must not overlap A or B.
 */
export function gemmRaw(
  m: number, n: number, k: number, alpha: number,
  ar: Float64Array, ai: Float64Array, aOff: number, lda: number,
  br: Float64Array, bi: Float64Array, bOff: number, ldb: number,
  cr: Float64Array, ci: Float64Array, cOff: number, ldc: number,
  accumulate: boolean,
): void {
  gemmStrided(m, n, k, alpha, ar, ai, aOff, lda, 1, false, br, bi, bOff, ldb, cr, ci, cOff, ldc, accumulate);
}

/**
 * The general kernel: C ← α·op(A)·B (+ C if `accumulate`), where op(A)[i, p] is read at
 * aOff + i·ars + p·acs and conjugated when `aConj`. So A·B is (ars, acs) = (lda, 1), Aᵀ·B is
 * (1, lda) and Aᴴ·B the same with aConj: a transposed A costs nothing because its entries are
 * loaded once per (row, k) pair, outside the inner loop. B and C are row-major; C must not
 * overlap A or B.
 */
export function gemmStrided(
  m: number, n: number, k: number, alpha: number,
  ar: Float64Array, ai: Float64Array, aOff: number, ars: number, acs: number, aConj: boolean,
  br: Float64Array, bi: Float64Array, bOff: number, ldb: number,
  cr: Float64Array, ci: Float64Array, cOff: number, ldc: number,
  accumulate: boolean,
): void {
  if (!accumulate) {
    if (ldc === n) {
      cr.fill(0, cOff, cOff + m * n);
      ci.fill(0, cOff, cOff + m * n);
    } else {
      for (let i = 0; i < m; i++) {
        const c0 = cOff + i * ldc;
        cr.fill(0, c0, c0 + n);
        ci.fill(0, c0, c0 + n);
      }
    }
  }
  if (k === 0 || n === 0) return;
  const ai_ = aConj ? -alpha : alpha; // α·conj(a) = α·re − i·α·im
  const k2 = k - (k & 1);
  let i = 0;
  for (; i + 8 <= m; i += 8) rows8(i, n, k2, alpha, ai_, ar, ai, aOff, ars, acs, br, bi, bOff, ldb, cr, ci, cOff, ldc);
  for (; i + 4 <= m; i += 4) rows4(i, n, k2, alpha, ai_, ar, ai, aOff, ars, acs, br, bi, bOff, ldb, cr, ci, cOff, ldc);
  for (; i < m; i++) {
    const c0 = cOff + i * ldc, a0 = aOff + i * ars;
    for (let p = 0; p < k2; p += 2) {
      const q0 = a0 + p * acs, q1 = q0 + acs;
      const x0r = alpha * ar[q0], x0i = ai_ * ai[q0], x1r = alpha * ar[q1], x1i = ai_ * ai[q1];
      const b0 = bOff + p * ldb, b1 = b0 + ldb;
      for (let j = 0; j < n; j++) {
        const y0r = br[b0 + j], y0i = bi[b0 + j];
        const y1r = br[b1 + j], y1i = bi[b1 + j];
        cr[c0 + j] += (x0r * y0r - x0i * y0i) + (x1r * y1r - x1i * y1i);
        ci[c0 + j] += (x0r * y0i + x0i * y0r) + (x1r * y1i + x1i * y1r);
      }
    }
  }
  if (k2 < k) {
    // Odd k: one rank-1 update for the last column of A / row of B.
    const p = k2, b0 = bOff + p * ldb;
    for (let r = 0; r < m; r++) {
      const c0 = cOff + r * ldc, q0 = aOff + r * ars + p * acs;
      const x0r = alpha * ar[q0], x0i = ai_ * ai[q0];
      for (let j = 0; j < n; j++) {
        const y0r = br[b0 + j], y0i = bi[b0 + j];
        cr[c0 + j] += x0r * y0r - x0i * y0i;
        ci[c0 + j] += x0r * y0i + x0i * y0r;
      }
    }
  }
}

/** Rows i..i+7 of C += α·op(A)·B over p ∈ [0, k2) (k2 even): the main register-blocked kernel. */
function rows8(
  i: number, n: number, k2: number, alpha: number, alphaI: number,
  ar: Float64Array, ai: Float64Array, aOff: number, ars: number, acs: number,
  br: Float64Array, bi: Float64Array, bOff: number, ldb: number,
  cr: Float64Array, ci: Float64Array, cOff: number, ldc: number,
): void {
  const c0 = cOff + (i + 0) * ldc, c1 = cOff + (i + 1) * ldc, c2 = cOff + (i + 2) * ldc, c3 = cOff + (i + 3) * ldc, c4 = cOff + (i + 4) * ldc, c5 = cOff + (i + 5) * ldc, c6 = cOff + (i + 6) * ldc, c7 = cOff + (i + 7) * ldc;
  const a0 = aOff + (i + 0) * ars, a1 = aOff + (i + 1) * ars, a2 = aOff + (i + 2) * ars, a3 = aOff + (i + 3) * ars, a4 = aOff + (i + 4) * ars, a5 = aOff + (i + 5) * ars, a6 = aOff + (i + 6) * ars, a7 = aOff + (i + 7) * ars;
  for (let p = 0; p < k2; p += 2) {
    const o = p * acs, q = o + acs;
    const x0r = alpha * ar[a0 + o], x0i = alphaI * ai[a0 + o], z0r = alpha * ar[a0 + q], z0i = alphaI * ai[a0 + q];
    const x1r = alpha * ar[a1 + o], x1i = alphaI * ai[a1 + o], z1r = alpha * ar[a1 + q], z1i = alphaI * ai[a1 + q];
    const x2r = alpha * ar[a2 + o], x2i = alphaI * ai[a2 + o], z2r = alpha * ar[a2 + q], z2i = alphaI * ai[a2 + q];
    const x3r = alpha * ar[a3 + o], x3i = alphaI * ai[a3 + o], z3r = alpha * ar[a3 + q], z3i = alphaI * ai[a3 + q];
    const x4r = alpha * ar[a4 + o], x4i = alphaI * ai[a4 + o], z4r = alpha * ar[a4 + q], z4i = alphaI * ai[a4 + q];
    const x5r = alpha * ar[a5 + o], x5i = alphaI * ai[a5 + o], z5r = alpha * ar[a5 + q], z5i = alphaI * ai[a5 + q];
    const x6r = alpha * ar[a6 + o], x6i = alphaI * ai[a6 + o], z6r = alpha * ar[a6 + q], z6i = alphaI * ai[a6 + q];
    const x7r = alpha * ar[a7 + o], x7i = alphaI * ai[a7 + o], z7r = alpha * ar[a7 + q], z7i = alphaI * ai[a7 + q];
    const b0 = bOff + p * ldb, b1 = b0 + ldb;
    for (let j = 0; j < n; j++) {
      const y0r = br[b0 + j], y0i = bi[b0 + j], y1r = br[b1 + j], y1i = bi[b1 + j];
      cr[c0 + j] += (x0r * y0r - x0i * y0i) + (z0r * y1r - z0i * y1i);
      ci[c0 + j] += (x0r * y0i + x0i * y0r) + (z0r * y1i + z0i * y1r);
      cr[c1 + j] += (x1r * y0r - x1i * y0i) + (z1r * y1r - z1i * y1i);
      ci[c1 + j] += (x1r * y0i + x1i * y0r) + (z1r * y1i + z1i * y1r);
      cr[c2 + j] += (x2r * y0r - x2i * y0i) + (z2r * y1r - z2i * y1i);
      ci[c2 + j] += (x2r * y0i + x2i * y0r) + (z2r * y1i + z2i * y1r);
      cr[c3 + j] += (x3r * y0r - x3i * y0i) + (z3r * y1r - z3i * y1i);
      ci[c3 + j] += (x3r * y0i + x3i * y0r) + (z3r * y1i + z3i * y1r);
      cr[c4 + j] += (x4r * y0r - x4i * y0i) + (z4r * y1r - z4i * y1i);
      ci[c4 + j] += (x4r * y0i + x4i * y0r) + (z4r * y1i + z4i * y1r);
      cr[c5 + j] += (x5r * y0r - x5i * y0i) + (z5r * y1r - z5i * y1i);
      ci[c5 + j] += (x5r * y0i + x5i * y0r) + (z5r * y1i + z5i * y1r);
      cr[c6 + j] += (x6r * y0r - x6i * y0i) + (z6r * y1r - z6i * y1i);
      ci[c6 + j] += (x6r * y0i + x6i * y0r) + (z6r * y1i + z6i * y1r);
      cr[c7 + j] += (x7r * y0r - x7i * y0i) + (z7r * y1r - z7i * y1i);
      ci[c7 + j] += (x7r * y0i + x7i * y0r) + (z7r * y1i + z7i * y1r);
    }
  }
}

/** Rows i..i+3, same scheme (used for the remainder when fewer than 8 rows are left). */
function rows4(
  i: number, n: number, k2: number, alpha: number, alphaI: number,
  ar: Float64Array, ai: Float64Array, aOff: number, ars: number, acs: number,
  br: Float64Array, bi: Float64Array, bOff: number, ldb: number,
  cr: Float64Array, ci: Float64Array, cOff: number, ldc: number,
): void {
  const c0 = cOff + (i + 0) * ldc, c1 = cOff + (i + 1) * ldc, c2 = cOff + (i + 2) * ldc, c3 = cOff + (i + 3) * ldc;
  const a0 = aOff + (i + 0) * ars, a1 = aOff + (i + 1) * ars, a2 = aOff + (i + 2) * ars, a3 = aOff + (i + 3) * ars;
  for (let p = 0; p < k2; p += 2) {
    const o = p * acs, q = o + acs;
    const x0r = alpha * ar[a0 + o], x0i = alphaI * ai[a0 + o], z0r = alpha * ar[a0 + q], z0i = alphaI * ai[a0 + q];
    const x1r = alpha * ar[a1 + o], x1i = alphaI * ai[a1 + o], z1r = alpha * ar[a1 + q], z1i = alphaI * ai[a1 + q];
    const x2r = alpha * ar[a2 + o], x2i = alphaI * ai[a2 + o], z2r = alpha * ar[a2 + q], z2i = alphaI * ai[a2 + q];
    const x3r = alpha * ar[a3 + o], x3i = alphaI * ai[a3 + o], z3r = alpha * ar[a3 + q], z3i = alphaI * ai[a3 + q];
    const b0 = bOff + p * ldb, b1 = b0 + ldb;
    for (let j = 0; j < n; j++) {
      const y0r = br[b0 + j], y0i = bi[b0 + j], y1r = br[b1 + j], y1i = bi[b1 + j];
      cr[c0 + j] += (x0r * y0r - x0i * y0i) + (z0r * y1r - z0i * y1i);
      ci[c0 + j] += (x0r * y0i + x0i * y0r) + (z0r * y1i + z0i * y1r);
      cr[c1 + j] += (x1r * y0r - x1i * y0i) + (z1r * y1r - z1i * y1i);
      ci[c1 + j] += (x1r * y0i + x1i * y0r) + (z1r * y1i + z1i * y1r);
      cr[c2 + j] += (x2r * y0r - x2i * y0i) + (z2r * y1r - z2i * y1i);
      ci[c2 + j] += (x2r * y0i + x2i * y0r) + (z2r * y1i + z2i * y1r);
      cr[c3 + j] += (x3r * y0r - x3i * y0i) + (z3r * y1r - z3i * y1i);
      ci[c3 + j] += (x3r * y0i + x3i * y0r) + (z3r * y1i + z3i * y1r);
    }
  }
}

/**
 * op(X) packed row-major into (re, im) (op 'T' or 'C'): the transpose of X (rows × cols) with
 * the imaginary part negated for 'C'.
 */
export function packTransposed(X: { rows: number; cols: number; re: Float64Array; im: Float64Array }, conj: boolean, re: Float64Array, im: Float64Array): void {
  const m = X.rows, n = X.cols;
  const xr = X.re, xi = X.im;
  if (m * n <= 4096) {
    for (let i = 0; i < m; i++) {
      const row = i * n;
      for (let j = 0; j < n; j++) re[j * m + i] = xr[row + j];
    }
    if (conj) for (let i = 0; i < m; i++) { const row = i * n; for (let j = 0; j < n; j++) im[j * m + i] = -xi[row + j]; }
    else for (let i = 0; i < m; i++) { const row = i * n; for (let j = 0; j < n; j++) im[j * m + i] = xi[row + j]; }
    return;
  }
  const sign = conj ? -1 : 1;
  const T = 32; // tiled transpose keeps both sides cache-resident
  for (let i0 = 0; i0 < m; i0 += T) {
    const i1 = Math.min(m, i0 + T);
    for (let j0 = 0; j0 < n; j0 += T) {
      const j1 = Math.min(n, j0 + T);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) {
          re[j * m + i] = xr[i * n + j];
          im[j * m + i] = sign * xi[i * n + j];
        }
      }
    }
  }
}

/** Shape of op(X). */
function opShape(X: CMatrix, op: MatOp): [number, number] {
  return op === 'N' ? [X.rows, X.cols] : [X.cols, X.rows];
}

const scratch = new Scratch();

/** C = op(A)·op(B) into a new matrix. */
export function cmatmul(A: CMatrix, B: CMatrix, opA: MatOp = 'N', opB: MatOp = 'N'): CMatrix {
  const [m] = opShape(A, opA);
  const [, n] = opShape(B, opB);
  return multiply(czeros(m, n), A, B, opA, opB, false);
}

/** Whether two views share any memory (same buffer and overlapping byte ranges). */
function overlaps(x: Float64Array, y: Float64Array): boolean {
  return x.buffer === y.buffer && x.byteOffset < y.byteOffset + y.byteLength && y.byteOffset < x.byteOffset + x.byteLength;
}

/** out ← op(A)·op(B); `out` must already have the right shape. Returns `out`. Aliasing is allowed. */
export function cmatmulInto(out: CMatrix, A: CMatrix, B: CMatrix, opA: MatOp = 'N', opB: MatOp = 'N'): CMatrix {
  return multiply(out, A, B, opA, opB, true);
}

function multiply(out: CMatrix, A: CMatrix, B: CMatrix, opA: MatOp, opB: MatOp, mayAlias: boolean): CMatrix {
  const [m, k] = opShape(A, opA);
  const [kb, n] = opShape(B, opB);
  if (k !== kb) throw new RangeError(`cmatmul: inner dimensions differ (${m}×${k} · ${kb}×${n})`);
  if (out.rows !== m || out.cols !== n) throw new RangeError(`cmatmulInto: out is ${out.rows}×${out.cols}, expected ${m}×${n}`);
  const alias = mayAlias && (overlaps(out.re, A.re) || overlaps(out.re, A.im) || overlaps(out.im, A.re) || overlaps(out.im, A.im)
    || overlaps(out.re, B.re) || overlaps(out.re, B.im) || overlaps(out.im, B.re) || overlaps(out.im, B.im));
  // B transposed is packed (its rows are the kernel's inner loop); A transposed is read in place.
  let bre = B.re, bim = B.im;
  if (opB !== 'N') {
    bre = scratch.get(0, k * n); bim = scratch.get(1, k * n);
    packTransposed(B, opB === 'C', bre, bim);
  }
  const cr = alias ? scratch.get(2, m * n) : out.re;
  const ci = alias ? scratch.get(3, m * n) : out.im;
  if (opA === 'N') gemmStrided(m, n, k, 1, A.re, A.im, 0, k, 1, false, bre, bim, 0, n, cr, ci, 0, n, false);
  else gemmStrided(m, n, k, 1, A.re, A.im, 0, 1, m, opA === 'C', bre, bim, 0, n, cr, ci, 0, n, false);
  if (alias) {
    out.re.set(cr.subarray(0, m * n));
    out.im.set(ci.subarray(0, m * n));
  }
  return out;
}
