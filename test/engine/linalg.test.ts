// Dense complex linear algebra kernels: gemm, QR, SVD, truncation. ml-matrix is used only as an
// independent reference (through the real embedding [[Re, −Im], [Im, Re]]).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import {
  type CMatrix, type MatOp,
  czeros, cidentity, cfromArrays, cclone, cconj, cconjTranspose, ctranspose, cfrobeniusNorm, cscale, cadd, cget,
  cfromRealMatrix, ctoRealParts, crealEmbedding, cmatmul, cmatmulInto, cqr, csvd, truncationRank,
} from '../../server/src/engine/linalg';
import { rng, randomCMatrix, type Rng } from '../helpers/random';

// ---------- helpers ----------

/** Reference product by the definition, entry by entry. */
function naiveMatmul(A: CMatrix, B: CMatrix, opA: MatOp, opB: MatOp): CMatrix {
  const get = (X: CMatrix, op: MatOp, i: number, j: number): [number, number] => {
    if (op === 'N') return cget(X, i, j);
    const [r, im] = cget(X, j, i);
    return op === 'C' ? [r, -im] : [r, im];
  };
  const m = opA === 'N' ? A.rows : A.cols, k = opA === 'N' ? A.cols : A.rows;
  const n = opB === 'N' ? B.cols : B.rows;
  const C = czeros(m, n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sr = 0, si = 0;
      for (let p = 0; p < k; p++) {
        const [ar, ai] = get(A, opA, i, p), [br, bi] = get(B, opB, p, j);
        sr += ar * br - ai * bi;
        si += ar * bi + ai * br;
      }
      C.re[i * n + j] = sr; C.im[i * n + j] = si;
    }
  }
  return C;
}

/** ‖X − Y‖_F / max(‖Y‖_F, tiny) */
function relDiff(X: CMatrix, Y: CMatrix): number {
  assert.equal(X.rows, Y.rows);
  assert.equal(X.cols, Y.cols);
  return cfrobeniusNorm(cadd(X, Y, -1)) / Math.max(cfrobeniusNorm(Y), 1e-300);
}

/** ‖XᴴX − I‖_F (columns orthonormal). */
function colOrthError(X: CMatrix): number {
  return cfrobeniusNorm(cadd(cmatmul(X, X, 'C', 'N'), cidentity(X.cols), -1));
}

/** ‖XXᴴ − I‖_F (rows orthonormal). */
function rowOrthError(X: CMatrix): number {
  return cfrobeniusNorm(cadd(cmatmul(X, X, 'N', 'C'), cidentity(X.rows), -1));
}

function reconstruct(U: CMatrix, S: Float64Array, Vh: CMatrix): CMatrix {
  const US = cclone(U);
  for (let i = 0; i < U.rows; i++) {
    for (let j = 0; j < U.cols; j++) { US.re[i * U.cols + j] *= S[j]; US.im[i * U.cols + j] *= S[j]; }
  }
  return cmatmul(US, Vh);
}

/** Random matrix with prescribed singular values: Q₁·diag(s)·Q₂ᴴ with random orthonormal factors. */
function withSingularValues(m: number, n: number, s: number[], r: Rng): CMatrix {
  const k = s.length;
  const Q1 = cqr(randomCMatrix(m, k, r)).Q, Q2 = cqr(randomCMatrix(n, k, r)).Q;
  const D = czeros(k, k);
  s.forEach((v, i) => { D.re[i * k + i] = v; });
  return cmatmul(cmatmul(Q1, D), Q2, 'N', 'C');
}

/** Singular values via ml-matrix on the real embedding: each complex value appears twice. */
function referenceSingularValues(A: CMatrix): number[] {
  const E = new Matrix(crealEmbedding(A));
  const sv = new SingularValueDecomposition(E, { computeLeftSingularVectors: false, computeRightSingularVectors: false, autoTranspose: true }).diagonal;
  const sorted = [...sv].sort((a, b) => b - a);
  const k = Math.min(A.rows, A.cols);
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    // the pair must really be a pair
    assert.ok(Math.abs(sorted[2 * i] - sorted[2 * i + 1]) <= 1e-10 * (sorted[0] || 1), 'embedding values come in pairs');
    out.push(sorted[2 * i]);
  }
  return out;
}

/** Everything csvd promises, with tolerance tol. Returns the decomposition for further checks. */
function checkSvd(A: CMatrix, tol = 1e-12): ReturnType<typeof csvd> {
  const res = csvd(A);
  const { U, S, Vh } = res;
  const k = Math.min(A.rows, A.cols);
  assert.equal(U.rows, A.rows); assert.equal(U.cols, k);
  assert.equal(Vh.rows, k); assert.equal(Vh.cols, A.cols);
  assert.equal(S.length, k);
  for (let i = 0; i < k; i++) {
    assert.ok(S[i] >= 0, `S[${i}] = ${S[i]} ≥ 0`);
    if (i > 0) assert.ok(S[i] <= S[i - 1], `S descending at ${i}`);
  }
  const norm = cfrobeniusNorm(A);
  const recon = cfrobeniusNorm(cadd(A, reconstruct(U, S, Vh), -1));
  assert.ok(recon <= tol * Math.max(norm, Number.MIN_VALUE), `reconstruction ${recon / norm} > ${tol}`);
  if (k > 0) {
    assert.ok(colOrthError(U) <= tol, `UᴴU − I: ${colOrthError(U)}`);
    assert.ok(rowOrthError(Vh) <= tol, `VhVhᴴ − I: ${rowOrthError(Vh)}`);
  }
  return res;
}

function checkQr(A: CMatrix, tol = 1e-12): void {
  const { Q, R } = cqr(A);
  const k = Math.min(A.rows, A.cols);
  assert.equal(Q.rows, A.rows); assert.equal(Q.cols, k);
  assert.equal(R.rows, k); assert.equal(R.cols, A.cols);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < Math.min(i, A.cols); j++) {
      assert.equal(R.re[i * R.cols + j], 0, `R[${i},${j}] re`);
      assert.equal(R.im[i * R.cols + j], 0, `R[${i},${j}] im`);
    }
    assert.equal(R.im[i * R.cols + i], 0, 'diag(R) is real');
    assert.ok(R.re[i * R.cols + i] >= 0, 'diag(R) ≥ 0');
  }
  if (k > 0) assert.ok(colOrthError(Q) <= tol, `QᴴQ − I: ${colOrthError(Q)}`);
  const norm = cfrobeniusNorm(A);
  const err = cfrobeniusNorm(cadd(A, cmatmul(Q, R), -1));
  assert.ok(err <= tol * Math.max(norm, Number.MIN_VALUE), `QR − A: ${err / norm}`);
}

// ---------- cmatrix basics ----------

test('cmatrix: constructors, adjoint, transpose, norm, scale, add', () => {
  const A = cfromArrays(2, 3, [1, 2, 3, 4, 5, 6], [0, -1, 0, 2, 0, 0.5]);
  assert.deepEqual(cget(A, 1, 2), [6, 0.5]);
  const Ah = cconjTranspose(A);
  assert.equal(Ah.rows, 3); assert.equal(Ah.cols, 2);
  assert.deepEqual(cget(Ah, 2, 1), [6, -0.5]);
  assert.deepEqual(cget(ctranspose(A), 2, 1), [6, 0.5]);
  assert.deepEqual(cget(cconj(A), 0, 1), [2, 1]);
  const expectedNorm = Math.sqrt([1, 2, 3, 4, 5, 6].reduce((s, x) => s + x * x, 0) + 1 + 4 + 0.25);
  assert.ok(Math.abs(cfrobeniusNorm(A) - expectedNorm) < 1e-14);
  // Norm survives extreme magnitudes (scaled accumulation).
  assert.ok(Math.abs(cfrobeniusNorm(cscale(A, 1e200)) / 1e200 - expectedNorm) < 1e-12);
  assert.ok(Math.abs(cfrobeniusNorm(cscale(A, 1e-200)) / 1e-200 - expectedNorm) < 1e-12);
  // (2 + i)·(1 − i) = 3 − i
  const s = cscale(A, 2, 1);
  assert.deepEqual(cget(s, 0, 1), [2 * 2 - 1 * -1, 2 * -1 + 1 * 2]);
  assert.deepEqual(cget(cadd(A, A, -1), 1, 1), [0, 0]);
  assert.deepEqual(cget(cidentity(3), 1, 1), [1, 0]);
  assert.deepEqual(cget(cidentity(3), 1, 2), [0, 0]);
  assert.throws(() => cadd(A, Ah), RangeError);
  assert.throws(() => cfromArrays(2, 2, [1, 2, 3]), RangeError);
  const B = cclone(A);
  B.re[0] = 99;
  assert.equal(A.re[0], 1, 'clone is deep');
});

test('cmatrix: ml-matrix round trip and real embedding is multiplicative', () => {
  const r = rng(11);
  const A = randomCMatrix(4, 3, r), B = randomCMatrix(3, 5, r);
  const parts = ctoRealParts(A);
  const back = cfromRealMatrix(new Matrix(parts.re), new Matrix(parts.im));
  assert.deepEqual(back, A);
  const realOnly = cfromRealMatrix(new Matrix(parts.re));
  assert.ok(realOnly.im.every((x) => x === 0));
  // embed(A)·embed(B) = embed(A·B), computed independently by ml-matrix
  const lhs = new Matrix(crealEmbedding(A)).mmul(new Matrix(crealEmbedding(B)));
  const rhs = new Matrix(crealEmbedding(cmatmul(A, B)));
  assert.ok(lhs.sub(rhs).norm() < 1e-12 * rhs.norm());
});

// ---------- gemm ----------

test('gemm: every op combination on odd shapes matches the naive triple loop', () => {
  const r = rng(1);
  const ops: MatOp[] = ['N', 'T', 'C'];
  const shapes: Array<[number, number, number]> = [[1, 1, 1], [5, 7, 3], [3, 1, 9], [1, 6, 1], [9, 13, 11], [4, 8, 4], [17, 5, 23], [33, 34, 31]];
  for (const [m, k, n] of shapes) {
    for (const opA of ops) {
      for (const opB of ops) {
        const A = opA === 'N' ? randomCMatrix(m, k, r) : randomCMatrix(k, m, r);
        const B = opB === 'N' ? randomCMatrix(k, n, r) : randomCMatrix(n, k, r);
        const C = cmatmul(A, B, opA, opB);
        assert.equal(C.rows, m); assert.equal(C.cols, n);
        const ref = naiveMatmul(A, B, opA, opB);
        assert.ok(relDiff(C, ref) < 1e-14, `${m}×${k}×${n} ${opA}${opB}: ${relDiff(C, ref)}`);
      }
    }
  }
});

test('gemm: cmatmulInto overwrites, allows aliasing, checks shapes; empty products are zero', () => {
  const r = rng(2);
  const A = randomCMatrix(6, 6, r), B = randomCMatrix(6, 6, r);
  const ref = naiveMatmul(A, B, 'N', 'N');
  const out = randomCMatrix(6, 6, r); // garbage must be overwritten, not accumulated
  assert.equal(cmatmulInto(out, A, B), out);
  assert.ok(relDiff(out, ref) < 1e-14);
  const A2 = cclone(A);
  cmatmulInto(A2, A2, B); // out aliases A
  assert.ok(relDiff(A2, ref) < 1e-14);
  const B2 = cclone(B);
  cmatmulInto(B2, A, B2, 'N', 'N'); // out aliases B
  assert.ok(relDiff(B2, ref) < 1e-14);
  assert.throws(() => cmatmul(randomCMatrix(2, 3, r), randomCMatrix(2, 3, r)), RangeError);
  assert.throws(() => cmatmulInto(czeros(2, 2), A, B), RangeError);
  const Z = cmatmul(czeros(3, 0), czeros(0, 4));
  assert.equal(Z.rows, 3); assert.equal(Z.cols, 4);
  assert.ok(Z.re.every((x) => x === 0) && Z.im.every((x) => x === 0));
});

test('gemm: 128×256 · 256×128 (MPS contraction shape) against the naive loop', () => {
  const r = rng(3);
  const A = randomCMatrix(128, 256, r), B = randomCMatrix(256, 128, r);
  assert.ok(relDiff(cmatmul(A, B), naiveMatmul(A, B, 'N', 'N')) < 1e-13);
  assert.ok(relDiff(cmatmul(A, A, 'N', 'C'), naiveMatmul(A, A, 'N', 'C')) < 1e-13);
});

// ---------- QR ----------

test('qr: random tall, square, wide and degenerate shapes', () => {
  const r = rng(4);
  for (const [m, n] of [[1, 1], [1, 5], [5, 1], [7, 4], [4, 7], [20, 20], [40, 33], [33, 40], [100, 70], [70, 100], [130, 129]]) {
    checkQr(randomCMatrix(m, n, r));
  }
});

test('qr: zero matrix and rank-deficient input still give orthonormal Q', () => {
  const r = rng(5);
  checkQr(czeros(6, 4));
  checkQr(czeros(3, 5));
  const lowRank = cmatmul(randomCMatrix(30, 3, r), randomCMatrix(3, 20, r));
  checkQr(lowRank);
  // A matrix with an exactly zero column in the middle.
  const A = randomCMatrix(8, 5, r);
  for (let i = 0; i < 8; i++) { A.re[i * 5 + 2] = 0; A.im[i * 5 + 2] = 0; }
  checkQr(A);
});

test('qr: 256×256 random (blocked path)', () => {
  checkQr(randomCMatrix(256, 256, rng(6)));
});

// ---------- SVD ----------

test('svd: random shapes match ml-matrix on the real embedding', () => {
  const r = rng(7);
  for (const [m, n] of [[1, 1], [2, 2], [3, 5], [5, 3], [8, 8], [12, 7], [7, 12], [30, 30], [40, 17], [17, 40], [64, 64]]) {
    const A = randomCMatrix(m, n, r);
    const { S } = checkSvd(A);
    const ref = referenceSingularValues(A);
    for (let i = 0; i < S.length; i++) {
      assert.ok(Math.abs(S[i] - ref[i]) <= 1e-12 * ref[0], `${m}×${n} σ${i}: ${S[i]} vs ${ref[i]}`);
    }
  }
});

test('svd: zero matrix', () => {
  for (const [m, n] of [[1, 1], [4, 4], [6, 3], [3, 6]]) {
    const { S } = checkSvd(czeros(m, n));
    assert.ok(S.every((x) => x === 0));
  }
});

test('svd: 1×1, 1×n and n×1', () => {
  const z = csvd(cfromArrays(1, 1, [3], [-4]));
  assert.ok(Math.abs(z.S[0] - 5) < 1e-15);
  // u·s·vh must give back 3 − 4i
  const back = reconstruct(z.U, z.S, z.Vh);
  assert.ok(Math.abs(back.re[0] - 3) < 1e-14 && Math.abs(back.im[0] + 4) < 1e-14);
  const r = rng(8);
  for (const A of [randomCMatrix(1, 9, r), randomCMatrix(9, 1, r), randomCMatrix(1, 300, r), randomCMatrix(300, 1, r)]) {
    const { S } = checkSvd(A);
    assert.ok(Math.abs(S[0] - cfrobeniusNorm(A)) < 1e-13 * S[0]);
  }
});

test('svd: rank-1 and rank-deficient matrices', () => {
  const r = rng(9);
  const u = randomCMatrix(15, 1, r), v = randomCMatrix(1, 11, r);
  const rank1 = cmatmul(u, v);
  const { S } = checkSvd(rank1);
  assert.ok(Math.abs(S[0] - cfrobeniusNorm(u) * cfrobeniusNorm(v)) < 1e-13 * S[0]);
  for (let i = 1; i < S.length; i++) assert.ok(S[i] < 1e-14 * S[0], `rank-1 tail σ${i} = ${S[i]}`);
  const rank5 = cmatmul(randomCMatrix(40, 5, r), randomCMatrix(5, 40, r));
  const s5 = checkSvd(rank5).S;
  assert.ok(s5[4] > 1e-3 * s5[0]);
  for (let i = 5; i < 40; i++) assert.ok(s5[i] < 1e-13 * s5[0], `rank-5 tail σ${i} = ${s5[i]}`);
});

test('svd: repeated singular values (3 × unitary)', () => {
  const r = rng(10);
  for (const n of [1, 2, 10, 50]) {
    const Q = cqr(randomCMatrix(n, n, r)).Q;
    const { S } = checkSvd(cscale(Q, 3));
    for (let i = 0; i < n; i++) assert.ok(Math.abs(S[i] - 3) < 1e-13, `σ${i} = ${S[i]}`);
  }
  // Clusters: two triple values and a double.
  const spec = [5, 5, 5, 2, 2, 2, 1, 1];
  const { S } = checkSvd(withSingularValues(12, 8, spec, r));
  spec.forEach((s, i) => assert.ok(Math.abs(S[i] - s) < 1e-13 * 5));
});

test('svd: singular values spanning 1e-15 .. 1', () => {
  const r = rng(12);
  const n = 16;
  const spec = Array.from({ length: n }, (_, i) => 10 ** (-i));
  const A = withSingularValues(n, n, spec, r);
  const { S } = checkSvd(A);
  // Backward stability: absolute accuracy ε‖A‖ for every value.
  spec.forEach((s, i) => assert.ok(Math.abs(S[i] - s) < 1e-14, `σ${i}: ${S[i]} vs ${s}`));
  // Same on a size that takes the blocked bidiagonalisation and compact-WY back-transform.
  const big = Array.from({ length: 100 }, (_, i) => 10 ** (-15 * i / 99));
  const sBig = checkSvd(withSingularValues(100, 100, big, r)).S;
  big.forEach((s, i) => assert.ok(Math.abs(sBig[i] - s) < 1e-14, `σ${i}: ${sBig[i]} vs ${s}`));
  // Tiny singular values in a tall and a wide matrix too.
  const spec2 = [1, 1e-3, 1e-8, 1e-12, 1e-15, 1e-15];
  for (const [m, k] of [[40, 6], [6, 40]]) {
    const B = m > k ? withSingularValues(m, k, spec2, r) : cconjTranspose(withSingularValues(k, m, spec2, r));
    const s2 = checkSvd(B).S;
    spec2.forEach((s, i) => assert.ok(Math.abs(s2[i] - s) < 1e-14, `σ${i}: ${s2[i]} vs ${s}`));
  }
});

test('svd: extreme magnitudes are rescaled, not overflowed', () => {
  const r = rng(13);
  const A = randomCMatrix(10, 7, r);
  const ref = csvd(A).S;
  for (const f of [1e-250, 1e250]) {
    const { S } = checkSvd(cscale(A, f));
    for (let i = 0; i < ref.length; i++) assert.ok(Math.abs(S[i] / f - ref[i]) < 1e-12 * ref[0]);
  }
  assert.throws(() => csvd(cfromArrays(1, 2, [1, NaN])), RangeError);
});

test('svd: tall (QR pre-step) and wide (adjoint) paths', () => {
  const r = rng(14);
  for (const [m, n] of [[300, 40], [40, 300], [100, 60], [60, 100], [257, 128]]) {
    const A = randomCMatrix(m, n, r);
    const { S } = checkSvd(A);
    // Σσ² = ‖A‖_F² is an independent check of the whole spectrum.
    const ss = S.reduce((a, s) => a + s * s, 0);
    assert.ok(Math.abs(ss - cfrobeniusNorm(A) ** 2) < 1e-12 * ss);
  }
});

test('svd: 256×256 random', () => {
  const r = rng(15);
  const A = randomCMatrix(256, 256, r);
  const { S } = checkSvd(A);
  const ss = S.reduce((a, s) => a + s * s, 0);
  assert.ok(Math.abs(ss - cfrobeniusNorm(A) ** 2) < 1e-12 * ss);
  // Spot-check against the reference on a smaller leading block size (ml-matrix is slow at 512²).
  const B = randomCMatrix(96, 96, r);
  const sb = csvd(B).S, ref = referenceSingularValues(B);
  for (let i = 0; i < 96; i++) assert.ok(Math.abs(sb[i] - ref[i]) <= 1e-12 * ref[0]);
});

test('svd: does not modify its input', () => {
  const A = randomCMatrix(9, 6, rng(16));
  const copy = cclone(A);
  csvd(A);
  csvd(cconjTranspose(A));
  cqr(A);
  assert.deepEqual(A, copy);
});

// ---------- truncation ----------

test('truncation: rank cap, cutoff on discarded weight, keep ≥ 1', () => {
  const S = [4, 2, 1, 0.5, 0]; // squares: 16, 4, 1, 0.25, 0 → total 21.25
  const total = 21.25;
  // No cutoff: drop only exact zeros.
  assert.deepEqual(truncationRank(S, Infinity, 0), { keep: 4, discardedWeight: 0 });
  // Rank cap wins, reports what it throws away.
  let t = truncationRank(S, 2, 0);
  assert.equal(t.keep, 2);
  assert.ok(Math.abs(t.discardedWeight - 1.25 / total) < 1e-15);
  // Cutoff exactly at a boundary: δ(3) = 0.25/21.25 ≤ cutoff → keep 3.
  t = truncationRank(S, 10, 0.25 / total);
  assert.equal(t.keep, 3);
  assert.ok(Math.abs(t.discardedWeight - 0.25 / total) < 1e-15);
  // Slightly below that boundary forces 4.
  assert.equal(truncationRank(S, 10, 0.2 / total).keep, 4);
  // Large cutoff: as small as allowed, but at least one value.
  t = truncationRank(S, 10, 0.9);
  assert.equal(t.keep, 1);
  assert.ok(Math.abs(t.discardedWeight - 5.25 / total) < 1e-15);
  assert.equal(truncationRank(S, 10, 1).keep, 1);
  // All zero: keep one, nothing discarded.
  assert.deepEqual(truncationRank([0, 0, 0], 5, 1e-3), { keep: 1, discardedWeight: 0 });
  assert.deepEqual(truncationRank([], 5, 0), { keep: 0, discardedWeight: 0 });
  // Works on Float64Array straight from csvd.
  assert.equal(truncationRank(new Float64Array([1, 1e-9, 1e-10]), 3, 1e-19).keep, 2);
  assert.throws(() => truncationRank(S, 0, 0), RangeError);
  assert.throws(() => truncationRank(S, 3, -1), RangeError);
});

test('truncation: truncated SVD error equals the reported discarded weight', () => {
  const r = rng(17);
  const A = withSingularValues(20, 20, Array.from({ length: 20 }, (_, i) => 0.5 ** i), r);
  const { U, S, Vh } = csvd(A);
  const { keep, discardedWeight } = truncationRank(S, 64, 1e-6);
  const Uk = czeros(20, keep), Vk = czeros(keep, 20);
  for (let i = 0; i < 20; i++) for (let j = 0; j < keep; j++) { Uk.re[i * keep + j] = U.re[i * 20 + j]; Uk.im[i * keep + j] = U.im[i * 20 + j]; }
  Vk.re.set(Vh.re.subarray(0, keep * 20)); Vk.im.set(Vh.im.subarray(0, keep * 20));
  const err = cfrobeniusNorm(cadd(A, reconstruct(Uk, S.subarray(0, keep), Vk), -1)) ** 2 / cfrobeniusNorm(A) ** 2;
  assert.ok(discardedWeight <= 1e-6);
  assert.ok(Math.abs(err - discardedWeight) < 1e-12, `${err} vs ${discardedWeight}`);
  // 0.5^(2k) geometric tail: keep is the first k with Σ_{i≥k} 4^-i / Σ 4^-i ≤ 1e-6 → 4^-k ≤ 1e-6 → k = 10
  assert.equal(keep, 10);
});
