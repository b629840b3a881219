// Complex matrix multiply C = op(A)·op(B) on split re/im row-major storage.
//
// Kernel shape (measured on V8, see bench/linalg.bench.ts): an i-k-j "axpy" loop that updates
// 4 rows of C with 2 rows of B per pass. Each loaded B element feeds 4 rows and each C element
// is loaded/stored once per 2 k-steps, which gave ~11 GFLOP/s versus ~4 for the plain i-k-j loop
// and ~6.5 for register-blocked dot products. Cache blocking did not help up to 256×256 (the
// operands fit in L2), so there is none. Transposed operands are packed once (O(n²)) so the
// O(n³) loop always runs on contiguous rows.

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
  for (; i + 4 <= m; i += 4) {
    const c0 = cOff + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
    const a0 = aOff + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    let p = 0;
    for (; p < k2; p += 2) {
      const x0r = alpha * ar[a0 + p], x0i = alpha * ai[a0 + p], x1r = alpha * ar[a0 + p + 1], x1i = alpha * ai[a0 + p + 1];
      const z0r = alpha * ar[a1 + p], z0i = alpha * ai[a1 + p], z1r = alpha * ar[a1 + p + 1], z1i = alpha * ai[a1 + p + 1];
      const w0r = alpha * ar[a2 + p], w0i = alpha * ai[a2 + p], w1r = alpha * ar[a2 + p + 1], w1i = alpha * ai[a2 + p + 1];
      const v0r = alpha * ar[a3 + p], v0i = alpha * ai[a3 + p], v1r = alpha * ar[a3 + p + 1], v1i = alpha * ai[a3 + p + 1];
      const b0 = bOff + p * ldb, b1 = b0 + ldb;
      for (let j = 0; j < n; j++) {
        const y0r = br[b0 + j], y0i = bi[b0 + j];
        const y1r = br[b1 + j], y1i = bi[b1 + j];
        cr[c0 + j] += (x0r * y0r - x0i * y0i) + (x1r * y1r - x1i * y1i);
        ci[c0 + j] += (x0r * y0i + x0i * y0r) + (x1r * y1i + x1i * y1r);
        cr[c1 + j] += (z0r * y0r - z0i * y0i) + (z1r * y1r - z1i * y1i);
        ci[c1 + j] += (z0r * y0i + z0i * y0r) + (z1r * y1i + z1i * y1r);
        cr[c2 + j] += (w0r * y0r - w0i * y0i) + (w1r * y1r - w1i * y1i);
        ci[c2 + j] += (w0r * y0i + w0i * y0r) + (w1r * y1i + w1i * y1r);
        cr[c3 + j] += (v0r * y0r - v0i * y0i) + (v1r * y1r - v1i * y1i);
        ci[c3 + j] += (v0r * y0i + v0i * y0r) + (v1r * y1i + v1i * y1r);
      }
    }
    if (p < k) {
      const x0r = alpha * ar[a0 + p], x0i = alpha * ai[a0 + p];
      const z0r = alpha * ar[a1 + p], z0i = alpha * ai[a1 + p];
      const w0r = alpha * ar[a2 + p], w0i = alpha * ai[a2 + p];
      const v0r = alpha * ar[a3 + p], v0i = alpha * ai[a3 + p];
      const b0 = bOff + p * ldb;
      for (let j = 0; j < n; j++) {
        const y0r = br[b0 + j], y0i = bi[b0 + j];
        cr[c0 + j] += x0r * y0r - x0i * y0i;
        ci[c0 + j] += x0r * y0i + x0i * y0r;
        cr[c1 + j] += z0r * y0r - z0i * y0i;
        ci[c1 + j] += z0r * y0i + z0i * y0r;
        cr[c2 + j] += w0r * y0r - w0i * y0i;
        ci[c2 + j] += w0r * y0i + w0i * y0r;
        cr[c3 + j] += v0r * y0r - v0i * y0i;
        ci[c3 + j] += v0r * y0i + v0i * y0r;
      }
    }
  }
  for (; i < m; i++) {
    const c0 = cOff + i * ldc, a0 = aOff + i * lda;
    let p = 0;
    for (; p < k2; p += 2) {
      const x0r = alpha * ar[a0 + p], x0i = alpha * ai[a0 + p], x1r = alpha * ar[a0 + p + 1], x1i = alpha * ai[a0 + p + 1];
      const b0 = bOff + p * ldb, b1 = b0 + ldb;
      for (let j = 0; j < n; j++) {
        const y0r = br[b0 + j], y0i = bi[b0 + j];
        const y1r = br[b1 + j], y1i = bi[b1 + j];
        cr[c0 + j] += (x0r * y0r - x0i * y0i) + (x1r * y1r - x1i * y1i);
        ci[c0 + j] += (x0r * y0i + x0i * y0r) + (x1r * y1i + x1i * y1r);
      }
    }
    if (p < k) {
      const x0r = alpha * ar[a0 + p], x0i = alpha * ai[a0 + p];
      const b0 = bOff + p * ldb;
      for (let j = 0; j < n; j++) {
        const y0r = br[b0 + j], y0i = bi[b0 + j];
        cr[c0 + j] += x0r * y0r - x0i * y0i;
        ci[c0 + j] += x0r * y0i + x0i * y0r;
      }
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
  const alias = out.re === a.re || out.re === b.re || out.im === a.im || out.im === b.im;
  const cr = alias ? new Float64Array(m * n) : out.re;
  const ci = alias ? new Float64Array(m * n) : out.im;
  gemmRaw(m, n, k, 1, a.re, a.im, 0, k, b.re, b.im, 0, n, cr, ci, 0, n, false);
  if (alias) {
    out.re.set(cr);
    out.im.set(ci);
  }
  return out;
}
