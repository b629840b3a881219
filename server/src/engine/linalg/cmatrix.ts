// Dense complex matrix type and elementwise basics.
// Storage is row-major with real and imaginary parts split into two Float64Arrays: this keeps
// every hot loop on plain contiguous doubles (no interleaving stride, no object per entry).

export interface CMatrix { rows: number; cols: number; re: Float64Array; im: Float64Array } // row-major, re/im split

/** Structural view of a real matrix (ml-matrix's `Matrix` satisfies it) — avoids a runtime dependency. */
export interface RealMatrixLike {
  readonly rows: number;
  readonly columns: number;
  get(row: number, column: number): number;
}

export function czeros(rows: number, cols: number): CMatrix {
  if (!(rows >= 0 && cols >= 0 && Number.isInteger(rows) && Number.isInteger(cols))) {
    throw new RangeError(`czeros: bad shape ${rows}×${cols}`);
  }
  const n = rows * cols;
  return { rows, cols, re: new Float64Array(n), im: new Float64Array(n) };
}

export function cidentity(n: number): CMatrix {
  const I = czeros(n, n);
  for (let i = 0; i < n; i++) I.re[i * n + i] = 1;
  return I;
}

/** Build from flat row-major real/imaginary arrays; `im` may be omitted for a real matrix. */
export function cfromArrays(rows: number, cols: number, re: ArrayLike<number>, im?: ArrayLike<number>): CMatrix {
  const n = rows * cols;
  if (re.length !== n || (im !== undefined && im.length !== n)) {
    throw new RangeError(`cfromArrays: expected ${n} entries for ${rows}×${cols}`);
  }
  const A = czeros(rows, cols);
  A.re.set(re);
  if (im !== undefined) A.im.set(im);
  return A;
}

export function cclone(A: CMatrix): CMatrix {
  return { rows: A.rows, cols: A.cols, re: A.re.slice(), im: A.im.slice() };
}

/** Adjoint A† (conjugate transpose). */
export function cconjTranspose(A: CMatrix): CMatrix {
  return transposeImpl(A, -1);
}

/** Plain transpose Aᵀ (no conjugation). */
export function ctranspose(A: CMatrix): CMatrix {
  return transposeImpl(A, 1);
}

/** Elementwise conjugate. */
export function cconj(A: CMatrix): CMatrix {
  const B = cclone(A);
  const im = B.im;
  for (let i = 0; i < im.length; i++) im[i] = -im[i];
  return B;
}

function transposeImpl(A: CMatrix, imSign: number): CMatrix {
  const { rows: m, cols: n } = A;
  const B = czeros(n, m);
  const ar = A.re, ai = A.im, br = B.re, bi = B.im;
  // Tile so both the read and the write side stay in cache for large matrices.
  const T = 32;
  for (let i0 = 0; i0 < m; i0 += T) {
    const i1 = Math.min(m, i0 + T);
    for (let j0 = 0; j0 < n; j0 += T) {
      const j1 = Math.min(n, j0 + T);
      for (let i = i0; i < i1; i++) {
        const row = i * n;
        for (let j = j0; j < j1; j++) {
          br[j * m + i] = ar[row + j];
          bi[j * m + i] = imSign * ai[row + j];
        }
      }
    }
  }
  return B;
}

/** Frobenius norm, scaled to avoid overflow/underflow (like LAPACK's xLASSQ). */
export function cfrobeniusNorm(A: CMatrix): number {
  let scale = 0;
  for (let i = 0; i < A.re.length; i++) {
    const a = Math.abs(A.re[i]), b = Math.abs(A.im[i]);
    if (a > scale) scale = a;
    if (b > scale) scale = b;
  }
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  const inv = 1 / scale;
  let s = 0;
  for (let i = 0; i < A.re.length; i++) {
    const a = A.re[i] * inv, b = A.im[i] * inv;
    s += a * a + b * b;
  }
  return scale * Math.sqrt(s);
}

/** α·A for a complex scalar α = sr + i·si (si defaults to 0). */
export function cscale(A: CMatrix, sr: number, si = 0): CMatrix {
  const B = czeros(A.rows, A.cols);
  const ar = A.re, ai = A.im, br = B.re, bi = B.im;
  for (let i = 0; i < ar.length; i++) {
    const x = ar[i], y = ai[i];
    br[i] = sr * x - si * y;
    bi[i] = sr * y + si * x;
  }
  return B;
}

/** A + β·B (β real, default 1); shapes must match. */
export function cadd(A: CMatrix, B: CMatrix, beta = 1): CMatrix {
  if (A.rows !== B.rows || A.cols !== B.cols) {
    throw new RangeError(`cadd: shape mismatch ${A.rows}×${A.cols} vs ${B.rows}×${B.cols}`);
  }
  const C = czeros(A.rows, A.cols);
  for (let i = 0; i < A.re.length; i++) {
    C.re[i] = A.re[i] + beta * B.re[i];
    C.im[i] = A.im[i] + beta * B.im[i];
  }
  return C;
}

/** Entry (i, j) as [re, im]; convenience for tests and debugging, not for hot loops. */
export function cget(A: CMatrix, i: number, j: number): [number, number] {
  const k = i * A.cols + j;
  return [A.re[k], A.im[k]];
}

/** Build from real matrices (e.g. ml-matrix `Matrix`) for the real and optional imaginary part. */
export function cfromRealMatrix(re: RealMatrixLike, im?: RealMatrixLike): CMatrix {
  const m = re.rows, n = re.columns;
  if (im !== undefined && (im.rows !== m || im.columns !== n)) {
    throw new RangeError('cfromRealMatrix: real and imaginary parts differ in shape');
  }
  const A = czeros(m, n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      A.re[i * n + j] = re.get(i, j);
      if (im !== undefined) A.im[i * n + j] = im.get(i, j);
    }
  }
  return A;
}

/** Real and imaginary parts as nested arrays (what `new Matrix(rows2D)` of ml-matrix accepts). */
export function ctoRealParts(A: CMatrix): { re: number[][]; im: number[][] } {
  const re: number[][] = [], im: number[][] = [];
  for (let i = 0; i < A.rows; i++) {
    re.push(Array.from(A.re.subarray(i * A.cols, (i + 1) * A.cols)));
    im.push(Array.from(A.im.subarray(i * A.cols, (i + 1) * A.cols)));
  }
  return { re, im };
}

/**
 * Real embedding [[Re, −Im], [Im, Re]] (2m × 2n) as nested arrays. It is a ring homomorphism, so
 * products map to products and each singular value of A appears twice among the embedding's.
 */
export function crealEmbedding(A: CMatrix): number[][] {
  const m = A.rows, n = A.cols;
  const out: number[][] = [];
  for (let i = 0; i < 2 * m; i++) out.push(new Array<number>(2 * n).fill(0));
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const r = A.re[i * n + j], x = A.im[i * n + j];
      out[i][j] = r;
      out[i][j + n] = -x;
      out[i + m][j] = x;
      out[i + m][j + n] = r;
    }
  }
  return out;
}
