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
  if (!accumulate) {
    for (let i = 0; i < m; i++) {
      const c0 = cOff + i * ldc;
      cr.fill(0, c0, c0 + n);
      ci.fill(0, c0, c0 + n);
    }
  }
  if (k === 0 || n === 0) return;
  const k2 = k - (k & 1);
  let i = 0;
  for (; i + 8 <= m; i += 8) rows8(i, n, k2, alpha, ar, ai, aOff, lda, br, bi, bOff, ldb, cr, ci, cOff, ldc);
  for (; i + 4 <= m; i += 4) rows4(i, n, k2, alpha, ar, ai, aOff, lda, br, bi, bOff, ldb, cr, ci, cOff, ldc);
  for (; i < m; i++) {
    const c0 = cOff + i * ldc, a0 = aOff + i * lda;
    for (let p = 0; p < k2; p += 2) {
      const x0r = alpha * ar[a0 + p], x0i = alpha * ai[a0 + p], x1r = alpha * ar[a0 + p + 1], x1i = alpha * ai[a0 + p + 1];
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
      const c0 = cOff + r * ldc, a0 = aOff + r * lda;
      const x0r = alpha * ar[a0 + p], x0i = alpha * ai[a0 + p];
      for (let j = 0; j < n; j++) {
        const y0r = br[b0 + j], y0i = bi[b0 + j];
        cr[c0 + j] += x0r * y0r - x0i * y0i;
        ci[c0 + j] += x0r * y0i + x0i * y0r;
      }
    }
  }
}

/** Rows i..i+7 of C += α·A·B over p ∈ [0, k2) (k2 even): the main register-blocked kernel. */
function rows8(
  i: number, n: number, k2: number, alpha: number,
  ar: Float64Array, ai: Float64Array, aOff: number, lda: number,
  br: Float64Array, bi: Float64Array, bOff: number, ldb: number,
  cr: Float64Array, ci: Float64Array, cOff: number, ldc: number,
): void {
  const c0 = cOff + (i + 0) * ldc, c1 = cOff + (i + 1) * ldc, c2 = cOff + (i + 2) * ldc, c3 = cOff + (i + 3) * ldc, c4 = cOff + (i + 4) * ldc, c5 = cOff + (i + 5) * ldc, c6 = cOff + (i + 6) * ldc, c7 = cOff + (i + 7) * ldc;
  const a0 = aOff + (i + 0) * lda, a1 = aOff + (i + 1) * lda, a2 = aOff + (i + 2) * lda, a3 = aOff + (i + 3) * lda, a4 = aOff + (i + 4) * lda, a5 = aOff + (i + 5) * lda, a6 = aOff + (i + 6) * lda, a7 = aOff + (i + 7) * lda;
  for (let p = 0; p < k2; p += 2) {
    const x0r = alpha * ar[a0 + p], x0i = alpha * ai[a0 + p], z0r = alpha * ar[a0 + p + 1], z0i = alpha * ai[a0 + p + 1];
    const x1r = alpha * ar[a1 + p], x1i = alpha * ai[a1 + p], z1r = alpha * ar[a1 + p + 1], z1i = alpha * ai[a1 + p + 1];
    const x2r = alpha * ar[a2 + p], x2i = alpha * ai[a2 + p], z2r = alpha * ar[a2 + p + 1], z2i = alpha * ai[a2 + p + 1];
    const x3r = alpha * ar[a3 + p], x3i = alpha * ai[a3 + p], z3r = alpha * ar[a3 + p + 1], z3i = alpha * ai[a3 + p + 1];
    const x4r = alpha * ar[a4 + p], x4i = alpha * ai[a4 + p], z4r = alpha * ar[a4 + p + 1], z4i = alpha * ai[a4 + p + 1];
    const x5r = alpha * ar[a5 + p], x5i = alpha * ai[a5 + p], z5r = alpha * ar[a5 + p + 1], z5i = alpha * ai[a5 + p + 1];
    const x6r = alpha * ar[a6 + p], x6i = alpha * ai[a6 + p], z6r = alpha * ar[a6 + p + 1], z6i = alpha * ai[a6 + p + 1];
    const x7r = alpha * ar[a7 + p], x7i = alpha * ai[a7 + p], z7r = alpha * ar[a7 + p + 1], z7i = alpha * ai[a7 + p + 1];
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
  i: number, n: number, k2: number, alpha: number,
  ar: Float64Array, ai: Float64Array, aOff: number, lda: number,
  br: Float64Array, bi: Float64Array, bOff: number, ldb: number,
  cr: Float64Array, ci: Float64Array, cOff: number, ldc: number,
): void {
  const c0 = cOff + (i + 0) * ldc, c1 = cOff + (i + 1) * ldc, c2 = cOff + (i + 2) * ldc, c3 = cOff + (i + 3) * ldc;
  const a0 = aOff + (i + 0) * lda, a1 = aOff + (i + 1) * lda, a2 = aOff + (i + 2) * lda, a3 = aOff + (i + 3) * lda;
  for (let p = 0; p < k2; p += 2) {
    const x0r = alpha * ar[a0 + p], x0i = alpha * ai[a0 + p], z0r = alpha * ar[a0 + p + 1], z0i = alpha * ai[a0 + p + 1];
    const x1r = alpha * ar[a1 + p], x1i = alpha * ai[a1 + p], z1r = alpha * ar[a1 + p + 1], z1i = alpha * ai[a1 + p + 1];
    const x2r = alpha * ar[a2 + p], x2i = alpha * ai[a2 + p], z2r = alpha * ar[a2 + p + 1], z2i = alpha * ai[a2 + p + 1];
    const x3r = alpha * ar[a3 + p], x3i = alpha * ai[a3 + p], z3r = alpha * ar[a3 + p + 1], z3i = alpha * ai[a3 + p + 1];
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

/** Shape of op(X). */
function opShape(X: CMatrix, op: MatOp): [number, number] {
  return op === 'N' ? [X.rows, X.cols] : [X.cols, X.rows];
}

/** op(X) as contiguous row-major arrays; no copy for 'N'. */
function packed(X: CMatrix, op: MatOp): { re: Float64Array; im: Float64Array } {
  if (op === 'N') return X;
  const m = X.rows, n = X.cols;
  const re = new Float64Array(m * n), im = new Float64Array(m * n);
  const sign = op === 'C' ? -1 : 1;
  const xr = X.re, xi = X.im;
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
  return { re, im };
}

/** C = op(A)·op(B) into a new matrix. */
export function cmatmul(A: CMatrix, B: CMatrix, opA: MatOp = 'N', opB: MatOp = 'N'): CMatrix {
  const [m] = opShape(A, opA);
  const [, n] = opShape(B, opB);
  return cmatmulInto(czeros(m, n), A, B, opA, opB);
}

/** out ← op(A)·op(B); `out` must already have the right shape. Returns `out`. Aliasing is allowed. */
export function cmatmulInto(out: CMatrix, A: CMatrix, B: CMatrix, opA: MatOp = 'N', opB: MatOp = 'N'): CMatrix {
  const [m, k] = opShape(A, opA);
  const [kb, n] = opShape(B, opB);
  if (k !== kb) throw new RangeError(`cmatmul: inner dimensions differ (${m}×${k} · ${kb}×${n})`);
  if (out.rows !== m || out.cols !== n) throw new RangeError(`cmatmulInto: out is ${out.rows}×${out.cols}, expected ${m}×${n}`);
  const a = packed(A, opA), b = packed(B, opB);
  // Compare buffers, not arrays, so overlapping subarray views are caught too (conservatively).
  const bufs = [a.re.buffer, a.im.buffer, b.re.buffer, b.im.buffer];
  const alias = bufs.includes(out.re.buffer) || bufs.includes(out.im.buffer);
  const cr = alias ? new Float64Array(m * n) : out.re;
  const ci = alias ? new Float64Array(m * n) : out.im;
  gemmRaw(m, n, k, 1, a.re, a.im, 0, k, b.re, b.im, 0, n, cr, ci, 0, n, false);
  if (alias) {
    out.re.set(cr);
    out.im.set(ci);
  }
  return out;
}
