// Two-qubit KAK decomposition and one-qubit ZXZ angles: reconstruction on Haar-random and on
// degenerate inputs (the Trotter blocks), continuity for pure Weyl inputs, tolerance to rounding,
// and agreement with the 3-CX weylBlock circuit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { Mat2, Mat4 } from '../../server/src/engine/circuit/gates';
import { matrix2 } from '../../server/src/engine/circuit/gates';
import { weylBlock } from '../../server/src/engine/circuit/blocks';
import { applyGate, apply1, zeroState } from '../../server/src/engine/sim/statevector';
import {
  type Kak, MAGIC, adjoint, det, distanceUpToPhase, fromZxz, identity, kak, kakMatrix, kron, matmul, matmulAll,
  maxAbsDiff, scalePhase, unitarityError, weylMatrix, zxz, zxzDerivatives,
} from '../../server/src/engine/kak';
import { rng, type Rng } from '../helpers/random';

// ---------- helpers ----------

const I2: Mat2 = Float64Array.from([1, 0, 0, 0, 0, 0, 1, 0]);
const PX: Mat2 = Float64Array.from([0, 0, 1, 0, 1, 0, 0, 0]);
const PY: Mat2 = Float64Array.from([0, 0, 0, -1, 0, 1, 0, 0]);
const PZ: Mat2 = Float64Array.from([1, 0, 0, 0, 0, 0, -1, 0]);
const XX = kron(PX, PX), YY = kron(PY, PY), ZZ = kron(PZ, PZ);

function lincomb(terms: [number, Float64Array][]): Float64Array {
  const out = new Float64Array(terms[0][1].length);
  for (const [c, M] of terms) for (let k = 0; k < out.length; k++) out[k] += c * M[k];
  return out;
}

/** Haar-random n×n unitary: Gram–Schmidt (twice, for orthogonality to rounding) of a complex Gaussian. */
function haar(n: number, r: Rng): Float64Array {
  const cols: number[][] = [];
  for (let j = 0; j < n; j++) {
    const v: number[] = [];
    for (let i = 0; i < 2 * n; i++) v.push(r.gauss());
    for (let pass = 0; pass < 2; pass++) {
      for (const q of cols) {
        let pr = 0, pi = 0; // ⟨q, v⟩
        for (let i = 0; i < n; i++) { pr += q[2 * i] * v[2 * i] + q[2 * i + 1] * v[2 * i + 1]; pi += q[2 * i] * v[2 * i + 1] - q[2 * i + 1] * v[2 * i]; }
        for (let i = 0; i < n; i++) { v[2 * i] -= pr * q[2 * i] - pi * q[2 * i + 1]; v[2 * i + 1] -= pr * q[2 * i + 1] + pi * q[2 * i]; }
      }
    }
    const nrm = Math.hypot(...v);
    cols.push(v.map((x) => x / nrm));
  }
  const U = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { U[2 * (i * n + j)] = cols[j][2 * i]; U[2 * (i * n + j) + 1] = cols[j][2 * i + 1]; }
  return U;
}

/** exp(−i·t·H) for Hermitian H, through the symmetric real embedding [[Re, −Im], [Im, Re]]. */
function expmHermitian(H: Float64Array, t: number): Float64Array {
  const n = Math.round(Math.sqrt(H.length / 2));
  const E: number[][] = [];
  for (let i = 0; i < 2 * n; i++) E.push(new Array<number>(2 * n).fill(0));
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    const hr = (H[2 * (i * n + j)] + H[2 * (j * n + i)]) / 2, hi = (H[2 * (i * n + j) + 1] - H[2 * (j * n + i) + 1]) / 2;
    E[i][j] = hr; E[i + n][j + n] = hr; E[i + n][j] = hi; E[i][j + n] = -hi;
  }
  const evd = new EigenvalueDecomposition(new Matrix(E), { assumeSymmetric: true });
  const V = evd.eigenvectorMatrix.to2DArray(), lam = evd.realEigenvalues;
  // f(E) = V f(Λ) Vᵀ embeds f(H) for real f: cos and sin give exp(−itH) = cos(tH) − i·sin(tH).
  const f = (g: (x: number) => number, i: number, j: number) => {
    let s = 0;
    for (let k = 0; k < 2 * n; k++) s += V[i][k] * g(t * lam[k]) * V[j][k];
    return s;
  };
  const U = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    U[2 * (i * n + j)] = f(Math.cos, i, j) + f(Math.sin, i + n, j);
    U[2 * (i * n + j) + 1] = f(Math.cos, i + n, j) - f(Math.sin, i, j);
  }
  return U;
}

/** Decomposes U and returns the reconstruction error, asserting the locals are in SU(2). */
function roundTrip(U: Mat4, label: string): { k: Kak; err: number } {
  const k = kak(U);
  for (const L of [...k.before, ...k.after]) {
    assert.ok(unitarityError(L) < 1e-13, `${label}: local not unitary`);
    const d = det(L);
    assert.ok(Math.hypot(d.re - 1, d.im) < 1e-13, `${label}: local det ${d.re},${d.im}`);
  }
  for (const v of [k.a, k.b, k.c]) assert.ok(Math.abs(v) <= Math.PI / 4 + 1e-12, `${label}: coordinate ${v} not reduced`);
  return { k, err: maxAbsDiff(kakMatrix(k), U) };
}

function addNoise(U: Float64Array, scale: number, r: Rng): Float64Array {
  return U.map((x) => x + scale * r.gauss());
}

const THETAS = [0, 1e-9, 0.1, Math.PI / 4, Math.PI / 2];

function namedDegenerate(): [string, Mat4][] {
  const h = 0.5;
  const sqrtSwap = Float64Array.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, h, h, h, -h, 0, 0, 0, 0, h, -h, h, h, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
  const out: [string, Mat4][] = [
    ['I', identity(4)], ['CX', matrix2('cx')], ['CZ', matrix2('cz')], ['SWAP', matrix2('swap')],
    ['iSWAP', weylMatrix(Math.PI / 4, Math.PI / 4, 0)], ['sqrtSWAP', sqrtSwap], ['CY', matrix2('cy')],
  ];
  for (const th of THETAS) {
    out.push([`exp(i${th}XX)`, weylMatrix(th, 0, 0)]);
    out.push([`exp(i${th}(XX+YY))`, weylMatrix(th, th, 0)]);
    out.push([`exp(i${th}(XX+YY+ZZ))`, weylMatrix(th, th, th)]);
    out.push([`exp(i${th}ZZ)`, weylMatrix(0, 0, th)]);
  }
  return out;
}

/** Bond blocks of the Trotter circuits (Heisenberg/XXZ with fields, transverse-field Ising). */
function trotterBlocks(): [string, Mat4][] {
  const out: [string, Mat4][] = [];
  const taus = [0, 1e-3, 0.05, 0.1, 0.5, 1, Math.PI / 4, 2.3];
  for (const [J, D] of [[1, 1], [1, 0.5], [0.7, 0], [1, -1]]) {
    for (const [h0, h1] of [[0, 0], [0.3, 0.3], [0.2, -0.7], [1, 0]]) {
      const H = lincomb([[J, XX], [J, YY], [J * D, ZZ], [h0, kron(PZ, I2)], [h1, kron(I2, PZ)]]);
      for (const tau of taus) out.push([`XXZ J=${J} Δ=${D} h=${h0},${h1} τ=${tau}`, expmHermitian(H, tau)]);
    }
  }
  for (const [J, g] of [[1, 1], [1, 0.5], [0.3, 2]]) {
    const H = lincomb([[-J, ZZ], [-g / 2, kron(PX, I2)], [-g / 2, kron(I2, PX)]]);
    for (const tau of taus) out.push([`TFIM J=${J} g=${g} τ=${tau}`, expmHermitian(H, tau)]);
  }
  return out;
}

// ---------- conventions ----------

test('kak: weylMatrix is exp(i(aXX+bYY+cZZ)) and the magic basis makes locals real', (t) => {
  const r = rng(11);
  for (let n = 0; n < 20; n++) {
    const a = r.gauss(), b = r.gauss(), c = r.gauss();
    const ref = expmHermitian(lincomb([[-a, XX], [-b, YY], [-c, ZZ]]), 1);
    assert.ok(maxAbsDiff(weylMatrix(a, b, c), ref) < 1e-13);
    // Bᴴ W B is diagonal
    const D = matmulAll(adjoint(MAGIC), weylMatrix(a, b, c), MAGIC);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) if (i !== j) assert.ok(Math.hypot(D[2 * (4 * i + j)], D[2 * (4 * i + j) + 1]) < 1e-14);
    // Bᴴ (A⊗B) B is real for A, B ∈ SU(2)
    const su2 = () => { const U = haar(2, r); const d = det(U); return scalePhase(U, -Math.atan2(d.im, d.re) / 2); };
    const K = matmulAll(adjoint(MAGIC), kron(su2(), su2()), MAGIC);
    for (let k = 1; k < 32; k += 2) assert.ok(Math.abs(K[k]) < 1e-14);
  }
  assert.ok(unitarityError(MAGIC) < 1e-15);
  t.diagnostic('conventions ok');
});

test('kak: expmHermitian (test helper) matches the Weyl closed form and is unitary', () => {
  const U = expmHermitian(lincomb([[1, XX], [0.5, YY], [0.3, ZZ], [0.7, kron(PZ, I2)]]), 0.9);
  assert.ok(unitarityError(U) < 1e-14);
});

// ---------- reconstruction ----------

test('kak: 500 Haar-random unitaries reconstruct to 1e-12', (t) => {
  const r = rng(2024);
  let worst = 0;
  for (let n = 0; n < 500; n++) {
    const U = haar(4, r);
    const { err } = roundTrip(U, `haar #${n}`);
    worst = Math.max(worst, err);
    assert.ok(err < 1e-12, `haar #${n}: error ${err}`);
  }
  t.diagnostic(`worst reconstruction error (Haar): ${worst.toExponential(2)}`);
});

test('kak: degenerate gates, alone and dressed with random locals, reconstruct to 1e-12', (t) => {
  const r = rng(7);
  let worst = 0, count = 0;
  for (const [name, G] of namedDegenerate()) {
    for (const dressed of [false, true]) {
      const U = dressed ? matmulAll(kron(haar(2, r), haar(2, r)), G, kron(haar(2, r), haar(2, r))) : G;
      const { err } = roundTrip(U, name);
      worst = Math.max(worst, err);
      count++;
      assert.ok(err < 1e-12, `${name}${dressed ? ' (dressed)' : ''}: error ${err}`);
    }
  }
  t.diagnostic(`${count} degenerate cases, worst error ${worst.toExponential(2)}`);
});

test('kak: local products A⊗B give a = b = c = 0 (mod the reduction)', () => {
  const r = rng(8);
  for (let n = 0; n < 100; n++) {
    const U = kron(haar(2, r), haar(2, r));
    const { k, err } = roundTrip(U, `local #${n}`);
    assert.ok(err < 1e-12, `local #${n}: ${err}`);
    for (const v of [k.a, k.b, k.c]) assert.ok(Math.abs(v) < 1e-12, `local #${n}: coordinate ${v}`);
  }
  // exact local Cliffords and Paulis
  for (const [A, B] of [[PX, PZ], [PY, I2], [I2, I2], [PZ, PZ]] as [Mat2, Mat2][]) {
    assert.ok(roundTrip(kron(A, B), 'pauli').err < 1e-12);
  }
});

test('kak: Trotter bond blocks (XXZ with fields, TFIM) reconstruct to 1e-12', (t) => {
  let worst = 0, count = 0;
  for (const [name, U] of trotterBlocks()) {
    const { err } = roundTrip(U, name);
    worst = Math.max(worst, err);
    count++;
    assert.ok(err < 1e-12, `${name}: error ${err}`);
  }
  t.diagnostic(`${count} Trotter blocks, worst error ${worst.toExponential(2)}`);
});

// ---------- continuity ----------

function assertIdentityLocals(k: Kak, tol: number, label: string): void {
  for (const L of [...k.before, ...k.after]) assert.ok(distanceUpToPhase(L, I2) < tol, `${label}: local not ±I (${distanceUpToPhase(L, I2)})`);
}

test('kak: exp(i(aXX+bYY+cZZ)) with |a|,|b|,|c| < π/4 returns a, b, c and identity locals', () => {
  const r = rng(99);
  const cases: [number, number, number][] = [
    [0.1, -0.2, 0.3], [0.3, 0.3, 0.3], [-0.3, -0.3, -0.3], [0.2, 0.2, 0], [0, 0, 0.1], [0.5, -0.5, 0.5],
    [0.7, 0.7, 0.7], [0.78, -0.78, 0.5], [0, 0, 0], [0.25, 0.25, -0.7],
  ];
  for (let n = 0; n < 200; n++) cases.push([(r.next() - 0.5) * 1.55, (r.next() - 0.5) * 1.55, (r.next() - 0.5) * 1.55]);
  for (const [a, b, c] of cases) {
    for (const chi of [0, 0.4, -2.9]) {
      const U = scalePhase(weylMatrix(a, b, c), chi);
      const { k, err } = roundTrip(U, `${a},${b},${c}`);
      assert.ok(err < 1e-12);
      assert.ok(Math.abs(k.a - a) < 1e-12 && Math.abs(k.b - b) < 1e-12 && Math.abs(k.c - c) < 1e-12, `(${a},${b},${c}) → (${k.a},${k.b},${k.c})`);
      assertIdentityLocals(k, 1e-12, `${a},${b},${c}`);
    }
  }
});

test('kak: near-degenerate Weyl inputs (θ = 1e-9) still return θ and near-identity locals', () => {
  for (const [a, b, c] of [[1e-9, 0, 0], [1e-9, 1e-9, 0], [1e-9, 1e-9, 1e-9], [0.3, 0.3 + 1e-9, 0.3]]) {
    const { k, err } = roundTrip(weylMatrix(a, b, c), `${a},${b},${c}`);
    assert.ok(err < 1e-12);
    assert.ok(Math.abs(k.a - a) < 1e-14 && Math.abs(k.b - b) < 1e-14 && Math.abs(k.c - c) < 1e-14, `(${a},${b},${c}) → (${k.a},${k.b},${k.c})`);
    // eigenvectors of a 1e-9-split pair are only determined to ~1e-7 (rounding / gap)
    assertIdentityLocals(k, 1e-6, `${a},${b},${c}`);
  }
});

// ---------- tolerance ----------

test('kak: nearly unitary input (1e-11 noise) decomposes to ~1e-9; non-unitary input throws', (t) => {
  const r = rng(5);
  let worst = 0;
  const inputs: Mat4[] = [];
  for (let n = 0; n < 50; n++) inputs.push(haar(4, r));
  for (const [, G] of namedDegenerate()) inputs.push(G);
  for (const [, G] of trotterBlocks().slice(0, 40)) inputs.push(G);
  for (const U of inputs) {
    const noisy = addNoise(U, 1e-11, r);
    const k = kak(noisy);
    const err = maxAbsDiff(kakMatrix(k), noisy);
    worst = Math.max(worst, err);
    assert.ok(err < 1e-9, `noisy: ${err}`);
    assert.ok(unitarityError(kakMatrix(k)) < 1e-13);
  }
  t.diagnostic(`${inputs.length} noisy inputs, worst error ${worst.toExponential(2)}`);
  assert.throws(() => kak(identity(4).map((x) => 2 * x)), /not unitary/);
  assert.throws(() => kak(addNoise(haar(4, r), 1e-4, r)), /not unitary/);
  assert.throws(() => kak(new Float64Array(32)), /not unitary/);
  assert.throws(() => kak(new Float64Array(8)), /4×4/);
  assert.throws(() => kak(Float64Array.from(haar(4, r), (x, i) => (i === 0 ? NaN : x))), /not unitary/);
  // a looser tolerance admits more (the result is then the nearest unitary's decomposition)
  const U = haar(4, r);
  const rough = addNoise(U, 1e-5, r);
  assert.throws(() => kak(rough));
  const k = kak(rough, { tolerance: 1e-3 });
  assert.ok(maxAbsDiff(kakMatrix(k), U) < 1e-4);
});

// ---------- the 3-CX circuit ----------

test('kak: (after)·weylBlock(a,b,c)·(before) simulates U up to phase', () => {
  const r = rng(31);
  const inputs: [string, Mat4][] = [...namedDegenerate(), ...trotterBlocks().filter((_, i) => i % 7 === 0)];
  for (let n = 0; n < 40; n++) inputs.push([`haar #${n}`, haar(4, r)]);
  for (const [name, U] of inputs) {
    const k = kak(U);
    // Columns by simulation; amplitude index b(q0) + 2·b(q1), Mat4 index 2·b(q0) + b(q1).
    const V = new Float64Array(32);
    for (let b0 = 0; b0 < 2; b0++) for (let b1 = 0; b1 < 2; b1++) {
      const s = zeroState(2);
      s.re[0] = 0;
      s.re[b0 + 2 * b1] = 1;
      apply1(s, 0, k.before[0]);
      apply1(s, 1, k.before[1]);
      for (const g of weylBlock(0, 1, k.a, k.b, k.c)) applyGate(s, g);
      apply1(s, 0, k.after[0]);
      apply1(s, 1, k.after[1]);
      for (let c0 = 0; c0 < 2; c0++) for (let c1 = 0; c1 < 2; c1++) {
        const row = 2 * c0 + c1, col = 2 * b0 + b1;
        V[2 * (4 * row + col)] = s.re[c0 + 2 * c1];
        V[2 * (4 * row + col) + 1] = s.im[c0 + 2 * c1];
      }
    }
    assert.ok(distanceUpToPhase(V, U) < 1e-12, `${name}: ${distanceUpToPhase(V, U)}`);
  }
});

// ---------- ZXZ ----------

test('zxz: round trip on random SU(2) and U(2), angle ranges', () => {
  const r = rng(3);
  for (let n = 0; n < 300; n++) {
    let M = haar(2, r);
    if (n % 2 === 0) { const d = det(M); M = scalePhase(M, -Math.atan2(d.im, d.re) / 2); }
    const z = zxz(M);
    assert.ok(maxAbsDiff(fromZxz(z), M) < 1e-13, `#${n}: ${maxAbsDiff(fromZxz(z), M)}`);
    assert.ok(z.beta >= 0 && z.beta <= Math.PI);
    assert.ok(Math.abs(z.alpha) <= Math.PI && Math.abs(z.gamma) <= Math.PI);
  }
  // angles come back when inside the ranges
  const a = { alpha: 0.4, beta: 1.1, gamma: -2.2, phase: 0.3 };
  const z = zxz(fromZxz(a));
  for (const key of ['alpha', 'beta', 'gamma', 'phase'] as const) assert.ok(Math.abs(z[key] - a[key]) < 1e-13, key);
});

test('zxz: gimbal lock at β = 0 and β = π picks alpha = 0', () => {
  const r = rng(4);
  for (let n = 0; n < 50; n++) {
    for (const beta of [0, Math.PI]) {
      const M = fromZxz({ alpha: (r.next() - 0.5) * 6, beta, gamma: (r.next() - 0.5) * 6, phase: r.gauss() });
      const z = zxz(M);
      assert.equal(z.alpha, 0);
      assert.ok(Math.abs(z.beta - beta) < 1e-15);
      assert.ok(maxAbsDiff(fromZxz(z), M) < 1e-14);
    }
  }
  for (const M of [I2, PX, PY, PZ]) assert.ok(maxAbsDiff(fromZxz(zxz(M)), M) < 1e-15);
  // near (not at) gimbal lock the round trip stays accurate
  for (const beta of [1e-14, 1e-10, Math.PI - 1e-12]) {
    const M = fromZxz({ alpha: 0.7, beta, gamma: -0.3 });
    assert.ok(maxAbsDiff(fromZxz(zxz(M)), M) < 1e-14);
  }
  assert.throws(() => zxz(Float64Array.from([1, 0, 1, 0, 0, 0, 1, 0])), /not unitary/);
});

test('zxz: derivative matrices match central finite differences', () => {
  const r = rng(6);
  const h = 1e-5;
  for (let n = 0; n < 30; n++) {
    const a = { alpha: r.gauss() * 2, beta: r.gauss() * 2, gamma: r.gauss() * 2 };
    const d = zxzDerivatives(a);
    const fd = (key: 'alpha' | 'beta' | 'gamma') => {
      const p = fromZxz({ ...a, [key]: a[key] + h }), m = fromZxz({ ...a, [key]: a[key] - h });
      return p.map((x, i) => (x - m[i]) / (2 * h));
    };
    assert.ok(maxAbsDiff(d.dAlpha, fd('alpha')) < 1e-9);
    assert.ok(maxAbsDiff(d.dBeta, fd('beta')) < 1e-9);
    assert.ok(maxAbsDiff(d.dGamma, fd('gamma')) < 1e-9);
  }
});

test('kak: helpers (kron ordering, det, matmul) follow the Mat4 convention', () => {
  // Z ⊗ I is diag(1, 1, −1, −1) when q0 is the first factor.
  const ZI = kron(PZ, I2);
  assert.deepEqual([0, 1, 2, 3].map((i) => ZI[2 * (5 * i)]), [1, 1, -1, -1]);
  const r = rng(1);
  const A = haar(4, r), B = haar(4, r);
  const dA = det(A), dB = det(B), dAB = det(matmul(A, B));
  assert.ok(Math.hypot(dAB.re - (dA.re * dB.re - dA.im * dB.im), dAB.im - (dA.re * dB.im + dA.im * dB.re)) < 1e-13);
  assert.ok(maxAbsDiff(matmul(adjoint(A), A), identity(4)) < 1e-14);
});
