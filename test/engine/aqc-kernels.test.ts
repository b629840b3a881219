// The small-matrix fast paths under the AQC objective: truncated / one-sided SVD, LQ, the strided
// gemm kernel, layer environments against dense contractions, and the objective's gradient on
// ansatz shapes the other tests do not reach (odd n, n = 2, n = 1, order 1, binding truncation).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type CMatrix, cadd, cfrobeniusNorm, cidentity, clq, cmatmul, cconjTranspose, cqr, csvd, csvdRank, czeros, truncationRank,
} from '../../server/src/engine/linalg';
import { gemmStrided } from '../../server/src/engine/linalg/gemm';
import {
  type Mps, type SiteTensor, applyTwoQubit, canonicalize, mpsToDense, normalizeMps, productMps,
} from '../../server/src/engine/mps';
import { layerEnvironments, type LayerGate } from '../../server/src/engine/aqc/environments';
import { ansatzCircuit, buildAnsatz, trotterStart } from '../../server/src/engine/aqc/ansatz';
import { evaluate } from '../../server/src/engine/aqc/objective';
import { type StateVector, apply1, apply2, fidelity, inner, simulate } from '../../server/src/engine/sim/statevector';
import { chainHamiltonian, expmHermitian } from '../../server/src/engine/tebd';
import { analyze } from '../../server/src/lang/analyze';
import { rng, randomCMatrix, type Rng } from '../helpers/random';

function relErr(X: CMatrix, Y: CMatrix): number {
  return cfrobeniusNorm(cadd(X, Y, -1)) / Math.max(cfrobeniusNorm(Y), 1e-300);
}

function scaleCols(U: CMatrix, S: ArrayLike<number>): CMatrix {
  const out = { rows: U.rows, cols: U.cols, re: U.re.slice(), im: U.im.slice() };
  for (let i = 0; i < U.rows; i++) for (let j = 0; j < U.cols; j++) { out.re[i * U.cols + j] *= S[j]; out.im[i * U.cols + j] *= S[j]; }
  return out;
}

/** Random m×n matrix of rank ≤ r (product of gaussian factors). */
function lowRank(m: number, n: number, r: number, g: Rng): CMatrix {
  return cmatmul(randomCMatrix(m, r, g), randomCMatrix(r, n, g));
}

test('csvdRank: r leading triplets, the discarded weight is exactly the tail, all shapes and both paths', () => {
  const g = rng(11);
  for (const [m, n] of [[1, 1], [2, 7], [7, 2], [8, 8], [13, 20], [20, 13], [40, 40], [64, 32], [32, 64], [64, 64], [70, 80], [90, 66]]) {
    const A = randomCMatrix(m, n, g);
    const full = csvd(A);
    const k = Math.min(m, n);
    for (const r of [1, Math.max(1, k >> 1), k]) {
      const t = csvdRank(A, () => r);
      assert.equal(t.U.rows, m); assert.equal(t.U.cols, r);
      assert.equal(t.Vh.rows, r); assert.equal(t.Vh.cols, n);
      assert.equal(t.S.length, k);
      for (let i = 0; i < k; i++) assert.ok(Math.abs(t.S[i] - full.S[i]) <= 1e-13 * full.S[0]);
      assert.ok(cfrobeniusNorm(cadd(cmatmul(t.U, t.U, 'C', 'N'), cidentity(r), -1)) < 1e-12, `${m}×${n} r=${r}: UᴴU`);
      assert.ok(cfrobeniusNorm(cadd(cmatmul(t.Vh, t.Vh, 'N', 'C'), cidentity(r), -1)) < 1e-12, `${m}×${n} r=${r}: VhVhᴴ`);
      // ‖A − U_r S_r Vh_r‖² = Σ_{i≥r} σ_i²
      let tail = 0, total = 0;
      for (let i = 0; i < k; i++) { total += t.S[i] ** 2; if (i >= r) tail += t.S[i] ** 2; }
      const err = cfrobeniusNorm(cadd(A, cmatmul(scaleCols(t.U, t.S), t.Vh), -1)) ** 2;
      assert.ok(Math.abs(err - tail) <= 1e-12 * total, `${m}×${n} r=${r}: ${err} vs ${tail}`);
    }
  }
});

test('csvdRank: one-sided factors match the two-sided ones and Uᴴ·A = S·Vh; overwrite gives the same result', () => {
  const g = rng(12);
  for (const [m, n] of [[6, 6], [12, 20], [20, 12], [48, 48], [64, 40], [80, 72]]) {
    const A = lowRank(m, n, Math.min(m, n) - 2, g); // two exact zeros among the singular values
    const k = Math.min(m, n);
    const r = k - 3;
    const both = csvdRank(A, () => r);
    const onlyU = csvdRank(A, () => r, false, 'U');
    const onlyV = csvdRank(A, () => r, false, 'Vh');
    assert.equal(onlyU.Vh.rows, 0); assert.equal(onlyV.U.cols, 0);
    assert.ok(relErr(onlyU.U, both.U) < 1e-13, `${m}×${n}: U`);
    assert.ok(relErr(onlyV.Vh, both.Vh) < 1e-13, `${m}×${n}: Vh`);
    // S·Vh from one product with A
    const SVh = cmatmul(onlyU.U, A, 'C', 'N');
    const ref = cconjTranspose(scaleCols(cconjTranspose(both.Vh), both.S));
    assert.ok(cfrobeniusNorm(cadd(SVh, ref, -1)) < 1e-13 * both.S[0], `${m}×${n}: UᴴA`);
    const copy = { rows: m, cols: n, re: A.re.slice(), im: A.im.slice() };
    const ow = csvdRank(copy, () => r, true);
    assert.ok(relErr(ow.U, both.U) === 0 && relErr(ow.Vh, both.Vh) === 0, `${m}×${n}: overwrite`);
  }
});

test('csvdRank: zero matrix, exact zero rows/columns and extreme scales keep orthonormal factors', () => {
  const g = rng(13);
  const Z = czeros(5, 9);
  const z = csvdRank(Z, (S) => truncationRank(S, 3).keep);
  assert.equal(z.U.cols, 1);
  assert.deepEqual(Array.from(z.S), [0, 0, 0, 0, 0]);
  const A = randomCMatrix(10, 10, g);
  for (let j = 0; j < 10; j++) { A.re[3 * 10 + j] = 0; A.im[3 * 10 + j] = 0; A.re[j * 10 + 7] = 0; A.im[j * 10 + 7] = 0; }
  for (const f of [1, 1e-200, 1e200]) {
    const B = { rows: 10, cols: 10, re: A.re.map((x) => x * f), im: A.im.map((x) => x * f) };
    const t = csvdRank(B);
    assert.ok(cfrobeniusNorm(cadd(cmatmul(t.U, t.U, 'C', 'N'), cidentity(10), -1)) < 1e-12);
    assert.ok(cfrobeniusNorm(cadd(cmatmul(t.Vh, t.Vh, 'N', 'C'), cidentity(10), -1)) < 1e-12);
    assert.ok(cfrobeniusNorm(cadd(B, cmatmul(scaleCols(t.U, t.S), t.Vh), -1)) <= 1e-13 * cfrobeniusNorm(B));
    assert.ok(t.S[9] <= 1e-14 * t.S[0], `σ9/σ0 = ${t.S[9] / t.S[0]}`); // a zero row and a zero column: rank 9
  }
});

test('clq: A = L·Q with L lower triangular (real non-negative diagonal), Q orthonormal rows; agrees with QR of Aᴴ', () => {
  const g = rng(14);
  for (const [m, n] of [[1, 1], [1, 6], [6, 1], [3, 8], [8, 3], [16, 16], [20, 40], [40, 20], [64, 64], [70, 90], [90, 70]]) {
    for (const deficient of [false, true]) {
      const A = deficient ? lowRank(m, n, Math.max(1, Math.min(m, n) >> 1), g) : randomCMatrix(m, n, g);
      const { L, Q } = clq(A);
      const k = Math.min(m, n);
      assert.equal(L.rows, m); assert.equal(L.cols, k); assert.equal(Q.rows, k); assert.equal(Q.cols, n);
      assert.ok(relErr(cmatmul(L, Q), A) < 1e-13, `${m}×${n}: LQ − A`);
      assert.ok(cfrobeniusNorm(cadd(cmatmul(Q, Q, 'N', 'C'), cidentity(k), -1)) < 1e-12, `${m}×${n}: QQᴴ`);
      for (let i = 0; i < m; i++) for (let j = i + 1; j < k; j++) assert.ok(L.re[i * k + j] === 0 && L.im[i * k + j] === 0);
      for (let i = 0; i < k; i++) assert.ok(L.re[i * k + i] >= 0 && L.im[i * k + i] === 0);
      if (!deficient) {
        const ref = cqr(cconjTranspose(A));
        assert.ok(relErr(Q, cconjTranspose(ref.Q)) < 1e-12, `${m}×${n}: Q vs QR of Aᴴ`);
      }
    }
  }
  const z = clq(czeros(4, 6));
  assert.ok(cfrobeniusNorm(cadd(cmatmul(z.Q, z.Q, 'N', 'C'), cidentity(4), -1)) < 1e-14);
});

test('gemmStrided: op(A) = A, Aᵀ, Aᴴ read in place, with α and accumulation, odd sizes', () => {
  const g = rng(15);
  for (const [m, n, k] of [[1, 1, 1], [3, 5, 7], [9, 4, 8], [17, 13, 11], [8, 8, 1]]) {
    const B = randomCMatrix(k, n, g), C0 = randomCMatrix(m, n, g);
    for (const op of ['N', 'T', 'C'] as const) {
      const A = op === 'N' ? randomCMatrix(m, k, g) : randomCMatrix(k, m, g);
      const ref = cmatmul(A, B, op, 'N');
      const cr = C0.re.slice(), ci = C0.im.slice();
      if (op === 'N') gemmStrided(m, n, k, -2, A.re, A.im, 0, k, 1, false, B.re, B.im, 0, n, cr, ci, 0, n, true);
      else gemmStrided(m, n, k, -2, A.re, A.im, 0, 1, m, op === 'C', B.re, B.im, 0, n, cr, ci, 0, n, true);
      const want = cadd(C0, ref, -2);
      assert.ok(relErr({ rows: m, cols: n, re: cr, im: ci }, want) < 1e-14, `${m}×${n}×${k} ${op}`);
    }
  }
});

/** A random MPS with the given bond dimensions (bonds[0] = bonds[n] = 1), not normalised. */
function randomMps(bonds: number[], g: Rng): Mps {
  const sites: SiteTensor[] = [];
  for (let i = 0; i + 1 < bonds.length; i++) {
    const m = randomCMatrix(2 * bonds[i], bonds[i + 1], g);
    sites.push({ left: bonds[i], right: bonds[i + 1], re: m.re, im: m.im });
  }
  return { n: bonds.length - 1, sites, center: undefined };
}

function layerDense(ket: StateVector, gates: readonly LayerGate[]): StateVector {
  const s = { qubits: ket.qubits, re: ket.re.slice(), im: ket.im.slice() };
  for (const gt of gates) {
    if (gt.width === 2) apply2(s, gt.site, gt.site + 1, gt.u);
    else apply1(s, gt.site, gt.u);
  }
  return s;
}

test('layerEnvironments: value and every environment equal dense contractions (mixed widths, gaps, unequal bonds)', () => {
  const g = rng(16);
  const rand = (len: number) => Float64Array.from({ length: len }, () => g.gauss());
  const bra = randomMps([1, 2, 4, 3, 4, 2, 1], g);
  const ket = randomMps([1, 2, 3, 4, 2, 2, 1], g);
  const gates: LayerGate[] = [
    { site: 0, width: 2, u: rand(32) },
    { site: 2, width: 1, u: rand(8) },
    { site: 4, width: 2, u: rand(32) },
  ];
  const B = mpsToDense(bra), K = mpsToDense(ket);
  const env = layerEnvironments(bra, ket, gates);
  const f = inner(B, layerDense(K, gates));
  assert.ok(Math.hypot(env.value.re - f.re, env.value.im - f.im) < 1e-11 * Math.hypot(f.re, f.im));
  // f is linear in each gate: E_g[s', s] is f with gate g replaced by the unit matrix e_{s's}.
  gates.forEach((gt, gi) => {
    const d = gt.width === 2 ? 4 : 2;
    for (let sp = 0; sp < d; sp++) for (let s = 0; s < d; s++) {
      const unit = new Float64Array(2 * d * d);
      unit[2 * (sp * d + s)] = 1;
      const swapped = gates.map((x, j) => (j === gi ? { ...x, u: unit } : x));
      const want = inner(B, layerDense(K, swapped));
      const got = [env.envs[gi][2 * (sp * d + s)], env.envs[gi][2 * (sp * d + s) + 1]];
      assert.ok(Math.hypot(got[0] - want.re, got[1] - want.im) < 1e-11 * (1 + Math.hypot(want.re, want.im)), `gate ${gi} [${sp},${s}]`);
    }
  });
});

test('applyTwoQubit replaces tensors and never writes into them (shallow copies stay valid)', () => {
  const g = rng(17);
  const mps = randomMps([1, 2, 4, 4, 2, 1], g);
  canonicalize(mps, 2);
  normalizeMps(mps);
  const before = mps.sites.map((t) => ({ t, re: t.re.slice(), im: t.im.slice() }));
  const dense = mpsToDense(mps);
  const copy: Mps = { n: mps.n, sites: mps.sites.slice(), center: mps.center };
  // A random two-qubit unitary exp(−iH·0.3), H = X + Xᴴ.
  const X = randomCMatrix(4, 4, g);
  const H = new Float64Array(32);
  for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) {
    H[2 * (4 * r + c)] = X.re[4 * r + c] + X.re[4 * c + r];
    H[2 * (4 * r + c) + 1] = X.im[4 * r + c] - X.im[4 * c + r];
  }
  const u = expmHermitian(H, 4, 0.3);
  for (const [a, b] of [[0, 1], [3, 4], [1, 2], [2, 4], [0, 3]]) applyTwoQubit(mps, a, b, u, { maxBond: 3 });
  for (const { t, re, im } of before) {
    assert.deepEqual(Array.from(t.re), Array.from(re));
    assert.deepEqual(Array.from(t.im), Array.from(im));
  }
  assert.ok(1 - fidelity(mpsToDense(copy), dense) < 1e-14);
});

function fdGradientCheck(ansatz: ReturnType<typeof buildAnsatz>, params: Float64Array, target: Mps, maxBond = 64): void {
  const targetDense = mpsToDense(target);
  const ev = evaluate(ansatz, target, params, { maxBond });
  const sv = simulate(ansatzCircuit(ansatz, params));
  const fRef = fidelity(targetDense, sv);
  assert.ok(Math.abs(ev.fidelity - fRef) < 1e-10, `fidelity ${ev.fidelity} vs ${fRef}`);
  const eps = 1e-6;
  let worst = 0;
  for (let i = 0; i < params.length; i++) {
    const pp = params.slice(); pp[i] += eps;
    const pm = params.slice(); pm[i] -= eps;
    const fd = (fidelity(targetDense, simulate(ansatzCircuit(ansatz, pp))) - fidelity(targetDense, simulate(ansatzCircuit(ansatz, pm)))) / (2 * eps);
    worst = Math.max(worst, Math.abs(fd - ev.gradient[i]));
  }
  assert.ok(worst < 1e-7, `n=${ansatz.n} steps=${ansatz.steps} order=${ansatz.order}: worst gradient error ${worst}`);
}

/** A normalised random target with bond dimension ≤ chi. */
function randomTarget(n: number, chi: number, g: Rng): Mps {
  const bonds = Array.from({ length: n + 1 }, (_, i) => Math.min(chi, 2 ** Math.min(i, n - i)));
  const t = randomMps(bonds, g);
  canonicalize(t, 0);
  normalizeMps(t);
  return t;
}

test('evaluate: gradient against finite differences for odd n, n = 2, n = 1, order 1 and several steps', () => {
  const g = rng(18);
  for (const [n, steps, order] of [[5, 1, 2], [5, 2, 1], [2, 1, 2], [3, 2, 2], [1, 1, 2], [4, 1, 1]] as const) {
    const ansatz = buildAnsatz(n, steps, order);
    const params = Float64Array.from({ length: ansatz.parameters }, () => 0.7 * g.gauss());
    fdGradientCheck(ansatz, params, randomTarget(n, 4, g));
  }
});

test('evaluate: a target whose centre is at the right end, and a Trotter start, agree with the dense reference', () => {
  const src = `qubits 7
hamiltonian H {
  sum i in 0..n-2 { X[i] X[i+1] + Y[i] Y[i+1] + 0.5 * Z[i] Z[i+1] }
  sum i in 0..n-1 { 0.3 * Z[i] }
}
state s = neel
`;
  const a = analyze(src);
  const h = a.program.hamiltonians.get('H')!.sum;
  const chain = chainHamiltonian(h);
  const target = productMps('0101010');
  for (let k = 0; k < 10; k++) for (const parity of [0, 1]) for (let q = parity; q + 1 < 7; q += 2) applyTwoQubit(target, q, q + 1, expmHermitian(chain.bonds[q], 4, 0.05), { maxBond: 64 });
  canonicalize(target, 6);
  const { ansatz, params } = trotterStart(chain, '0101010', 0.4, 2, 2);
  const g = rng(19);
  for (let i = 0; i < params.length; i++) params[i] += 0.05 * g.gauss();
  fdGradientCheck(ansatz, params, target);
});

test('evaluate: a binding bond cap degrades the value and gradient gracefully', () => {
  const src = `qubits 10
hamiltonian H {
  sum i in 0..n-2 { X[i] X[i+1] + Y[i] Y[i+1] + 0.5 * Z[i] Z[i+1] }
  sum i in 0..n-1 { 0.3 * Z[i] }
}
state s = neel
`;
  const chain = chainHamiltonian(analyze(src).program.hamiltonians.get('H')!.sum);
  const target = productMps('0101010101');
  for (let k = 0; k < 20; k++) for (const parity of [0, 1]) for (let q = parity; q + 1 < 10; q += 2) applyTwoQubit(target, q, q + 1, expmHermitian(chain.bonds[q], 4, 0.05), { maxBond: 64 });
  const { ansatz, params } = trotterStart(chain, '0101010101', 1.0, 2, 2);
  const exact = evaluate(ansatz, target, params, { maxBond: 64 });
  const wide = evaluate(ansatz, target, params, { maxBond: 16 }); // discards nothing measurable here
  assert.ok(Math.abs(wide.fidelity - exact.fidelity) < 1e-12);
  const capped = evaluate(ansatz, target, params, { maxBond: 8 });
  assert.ok(Math.abs(exact.fidelity - capped.fidelity) < 0.05, `${exact.fidelity} vs ${capped.fidelity}`);
  let dot = 0, n1 = 0, n2 = 0;
  for (let i = 0; i < params.length; i++) { dot += exact.gradient[i] * capped.gradient[i]; n1 += exact.gradient[i] ** 2; n2 += capped.gradient[i] ** 2; }
  assert.ok(dot / Math.sqrt(n1 * n2) > 0.99, `cosine ${dot / Math.sqrt(n1 * n2)}`);
});
