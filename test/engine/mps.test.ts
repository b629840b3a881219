// MPS operations against the dense statevector: construction, canonical form, gates (neighbour,
// reversed and distant pairs), circuits with fusion, overlaps, norms, expectations, truncation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cqr, type CMatrix } from '../../server/src/engine/linalg';
import { type Circuit, type Gate, type GateName, type Mat2, gate, matrix1, matrix2 } from '../../server/src/engine/circuit/gates';
import { type StateVector, apply1, apply2, fidelity, inner, norm2, simulate } from '../../server/src/engine/sim/statevector';
import {
  type Mps, applyBond, applyCircuit, applyOneQubit, applyTwoQubit, bondDimensions, canonicalize, circuitFidelity, cloneMps,
  localExpectation, maxBondDimension, moveCenter, mpsNorm, mpsToDense, newTally, normalizeMps, overlap, pauliExpectation,
  productMps, scaleMps, zeroMps, asLeftMatrix, asRightMatrix,
} from '../../server/src/engine/mps';
import type { PauliFactor, PauliLetter } from '../../server/src/model/pauli';
import { rng, randomCMatrix, type Rng } from '../helpers/random';

// ---------- helpers ----------

function maxAmpDiff(a: StateVector, b: StateVector): number {
  let m = 0;
  for (let i = 0; i < a.re.length; i++) m = Math.max(m, Math.hypot(a.re[i] - b.re[i], a.im[i] - b.im[i]));
  return m;
}

/** Interleaved d×d unitary from the QR of a gaussian matrix. */
function randomUnitary(d: number, r: Rng): Float64Array {
  const { Q } = cqr(randomCMatrix(d, d, r));
  return interleave(Q);
}

function interleave(A: CMatrix): Float64Array {
  const out = new Float64Array(2 * A.re.length);
  for (let k = 0; k < A.re.length; k++) { out[2 * k] = A.re[k]; out[2 * k + 1] = A.im[k]; }
  return out;
}

const NAMED_1Q: GateName[] = ['x', 'y', 'z', 'h', 's', 'sdg', 't', 'tdg', 'sx'];
const NAMED_2Q: GateName[] = ['cx', 'cz', 'cy', 'swap'];

/** Random circuit of named gates: 1q (fixed and rotations), 2q on random pairs (any distance, any order). */
function randomCircuit(n: number, count: number, r: Rng, pairs: 'any' | 'neighbours' = 'any'): Circuit {
  const gates: Gate[] = [];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r.next() * xs.length)];
  for (let k = 0; k < count; k++) {
    const u = r.next();
    if (n === 1 || u < 0.45) {
      const q = Math.floor(r.next() * n);
      if (r.next() < 0.5) gates.push(gate(pick(NAMED_1Q), [q]));
      else {
        const name = pick(['rx', 'ry', 'rz', 'p', 'U'] as const);
        gates.push(gate(name, [q], name === 'U' ? [r.gauss(), r.gauss(), r.gauss()] : [r.gauss() * 2]));
      }
    } else {
      let a = Math.floor(r.next() * n), b: number;
      if (pairs === 'neighbours') b = a + 1 < n ? a + 1 : a - 1;
      else do b = Math.floor(r.next() * n); while (b === a);
      if (r.next() < 0.5) [a, b] = [b, a];
      gates.push(gate(pick(NAMED_2Q), [a, b]));
    }
  }
  return { qubits: n, gates, globalPhase: r.gauss() };
}

/** A random MPS: random 4×4 unitaries on neighbours from a random product state, then a random norm. */
function randomMps(n: number, layers: number, r: Rng): { mps: Mps; dense: StateVector } {
  const labels = Array.from({ length: n }, () => '01+'[Math.floor(r.next() * 3)]).join('');
  const mps = productMps(labels);
  const dense = mpsToDense(mps);
  for (let l = 0; l < layers; l++) {
    for (let i = l % 2; i + 1 < n; i += 2) {
      const u = randomUnitary(4, r);
      applyTwoQubit(mps, i, i + 1, u, { cutoff: 0 });
      apply2(dense, i, i + 1, u);
    }
  }
  return { mps, dense };
}

/** ‖T†T − I‖ for the left (or right) orthonormality of a site. */
function orthoError(mps: Mps, i: number, side: 'left' | 'right'): number {
  const t = mps.sites[i];
  const M = side === 'left' ? asLeftMatrix(t) : asRightMatrix(t);
  const rows = M.rows, cols = M.cols;
  let err = 0;
  const dim = side === 'left' ? cols : rows;
  for (let a = 0; a < dim; a++) for (let b = 0; b < dim; b++) {
    let re = 0, im = 0;
    const len = side === 'left' ? rows : cols;
    for (let k = 0; k < len; k++) {
      const ia = side === 'left' ? k * cols + a : a * cols + k;
      const ib = side === 'left' ? k * cols + b : b * cols + k;
      // left: Σ_k conj(M[k,a]) M[k,b]; right: Σ_k M[a,k] conj(M[b,k])
      if (side === 'left') { re += M.re[ia] * M.re[ib] + M.im[ia] * M.im[ib]; im += M.re[ia] * M.im[ib] - M.im[ia] * M.re[ib]; }
      else { re += M.re[ia] * M.re[ib] + M.im[ia] * M.im[ib]; im += M.im[ia] * M.re[ib] - M.re[ia] * M.im[ib]; }
    }
    err = Math.max(err, Math.hypot(re - (a === b ? 1 : 0), im));
  }
  return err;
}

function assertCanonical(mps: Mps, c: number): void {
  assert.equal(mps.center, c);
  for (let i = 0; i < c; i++) assert.ok(orthoError(mps, i, 'left') < 1e-12, `site ${i} left-orthonormal`);
  for (let i = c + 1; i < mps.n; i++) assert.ok(orthoError(mps, i, 'right') < 1e-12, `site ${i} right-orthonormal`);
}

/** The Pauli matrices from the gate vocabulary (an independent source from mps/small.ts). */
const PAULI_2: Record<PauliLetter, Mat2> = { X: matrix1('x', []), Y: matrix1('y', []), Z: matrix1('z', []) };

function densePauliExpectation(s: StateVector, factors: PauliFactor[]): number {
  const p = { qubits: s.qubits, re: s.re.slice(), im: s.im.slice() };
  for (const f of factors) apply1(p, f.qubit, PAULI_2[f.pauli]);
  return inner(s, p).re / norm2(s);
}

// ---------- construction ----------

test('productMps: labels 0, 1, + per qubit, qubit 0 the least significant bit; centre 0', () => {
  const mps = productMps('01+');
  assert.equal(mps.center, 0);
  assert.deepEqual(bondDimensions(mps), [1, 1]);
  const d = mpsToDense(mps);
  // qubit 1 is 1, qubit 2 is + : indices 0b010 = 2 and 0b110 = 6, amplitude 1/√2 each.
  for (let i = 0; i < 8; i++) assert.ok(Math.abs(d.re[i] - (i === 2 || i === 6 ? Math.SQRT1_2 : 0)) < 1e-15, `amp ${i}`);
  assert.throws(() => productMps('0x1'), /label 'x'/);
  assert.throws(() => productMps(''), /at least one qubit/);
  assert.equal(mpsToDense(zeroMps(3)).re[0], 1);
});

// ---------- gates ----------

test('applyOneQubit and applyTwoQubit on every pair (neighbours, distant, both orders) match apply1/apply2', () => {
  const r = rng(11);
  for (const n of [2, 3, 5, 7]) {
    const { mps, dense } = randomMps(n, 3, r);
    for (let q0 = 0; q0 < n; q0++) for (let q1 = 0; q1 < n; q1++) {
      if (q0 === q1) continue;
      const u = randomUnitary(4, r), v = randomUnitary(2, r);
      applyTwoQubit(mps, q0, q1, u, { cutoff: 0 });
      apply2(dense, q0, q1, u);
      applyOneQubit(mps, q1, v);
      apply1(dense, q1, v);
      assert.ok(maxAmpDiff(mpsToDense(mps), dense) < 1e-11, `n=${n} (${q0},${q1})`);
    }
  }
});

test('Mat4 basis convention: cx with control on the higher qubit, applied through (q0, q1) = (3, 1)', () => {
  const mps = productMps('0001'); // qubit 3 is 1
  applyTwoQubit(mps, 3, 1, matrix2('cx'));
  const d = mpsToDense(mps);
  assert.ok(Math.abs(d.re[0b1010] - 1) < 1e-14, 'target qubit 1 flipped');
});

test('random circuits of named gates on n ≤ 10 (distant and reversed pairs, global phase) equal the statevector', () => {
  const r = rng(2024);
  for (const n of [1, 2, 4, 6, 8, 10]) {
    for (let rep = 0; rep < 3; rep++) {
      const c = randomCircuit(n, 12 * n, r);
      const mps = zeroMps(n);
      const rep0 = applyCircuit(mps, c);
      const ref = simulate(c);
      assert.ok(maxAmpDiff(mpsToDense(mps), ref) < 1e-10, `n=${n} rep=${rep}: ${maxAmpDiff(mpsToDense(mps), ref)}`);
      assert.ok(rep0.discardedWeight < 1e-15, 'nothing physical discarded without a bond cap');
      assert.ok(maxBondDimension(mps) <= 2 ** Math.floor(n / 2));
    }
  }
});

test('applyCircuit from a non-zero start and with runs on one pair (fused) equals the statevector', () => {
  const r = rng(5);
  const { mps, dense } = randomMps(6, 2, r);
  const gates: Gate[] = [
    gate('h', [2]), gate('cx', [2, 3]), gate('rz', [3], [0.3]), gate('cx', [3, 2]), gate('t', [0]), gate('cz', [2, 3]),
    gate('ry', [2], [1.1]), gate('swap', [0, 5]), gate('cy', [4, 1]), gate('sx', [4]),
  ];
  const c: Circuit = { qubits: 6, gates, globalPhase: 0.4 };
  const tally = newTally();
  applyCircuit(mps, c, { tally });
  assert.ok(maxAmpDiff(mpsToDense(mps), simulate(c, dense)) < 1e-11);
  // (2,3) run is one split; swap(0,5) is 4+1+4 bond splits; cy(4,1) 2+1+2.
  assert.equal(tally.splits, 1 + 9 + 5);
});

test('non-unitary one-qubit operators: the centre is dropped when it can no longer be trusted, results stay right', () => {
  const r = rng(8);
  const { mps, dense } = randomMps(5, 3, r);
  moveCenter(mps, 1);
  const m = Float64Array.from([2, 0, 0.5, 0.1, 0, 0, 0.3, -1]);
  applyOneQubit(mps, 3, m);
  apply1(dense, 3, m);
  assert.equal(mps.center, undefined);
  assert.ok(Math.abs(mpsNorm(mps) - Math.sqrt(norm2(dense))) < 1e-12);
  const u = randomUnitary(4, r);
  applyTwoQubit(mps, 3, 4, u, { cutoff: 0 });
  apply2(dense, 3, 4, u);
  assert.ok(maxAmpDiff(mpsToDense(mps), dense) < 1e-11);
  assert.notEqual(mps.center, undefined);
  // a unitary on a non-centre site keeps it
  const c = mps.center!;
  applyOneQubit(mps, (c + 2) % 5, randomUnitary(2, r));
  assert.equal(mps.center, c);
});

// ---------- canonical form ----------

test('moveCenter and canonicalize: orthonormal sites on both sides, same state, norm on the centre', () => {
  const r = rng(3);
  const { mps, dense } = randomMps(8, 4, r);
  scaleMps(mps, 1.7, -0.4);
  const ref = mpsToDense(mps);
  for (const c of [0, 7, 3, 5, 1]) {
    moveCenter(mps, c);
    assertCanonical(mps, c);
    assert.ok(maxAmpDiff(mpsToDense(mps), ref) < 1e-12);
    assert.ok(Math.abs(mpsNorm(mps) - Math.hypot(1.7, 0.4)) < 1e-12);
  }
  mps.center = undefined;
  canonicalize(mps, 4);
  assertCanonical(mps, 4);
  assert.ok(maxAmpDiff(mpsToDense(mps), ref) < 1e-12);
  const before = normalizeMps(mps);
  assert.ok(Math.abs(before - Math.hypot(1.7, 0.4)) < 1e-12);
  assert.ok(Math.abs(fidelity(mpsToDense(mps), dense) - 1) < 1e-12);
  assert.ok(Math.abs(mpsNorm(mps) - 1) < 1e-14);
  assert.throws(() => moveCenter(mps, 8), /out of range/);
});

test('canonicalize trims a bond to the dimension it can carry (≤ 2 next to an end site)', () => {
  const mps = productMps('+000');
  // Pad bond 0|1 to dimension 4 with zeros: the same state.
  const a = mps.sites[0], b = mps.sites[1];
  const A = { left: 1, right: 4, re: new Float64Array(8), im: new Float64Array(8) };
  const B = { left: 4, right: 1, re: new Float64Array(8), im: new Float64Array(8) };
  A.re[0] = a.re[0]; A.re[4] = a.re[1];
  B.re[0] = b.re[0]; B.re[1] = b.re[1];
  mps.sites[0] = A; mps.sites[1] = B; mps.center = undefined;
  canonicalize(mps, 0);
  assert.deepEqual(bondDimensions(mps), [2, 1, 1]);
  const d = mpsToDense(mps);
  assert.ok(Math.abs(d.re[0] - Math.SQRT1_2) < 1e-15 && Math.abs(d.re[1] - Math.SQRT1_2) < 1e-15);
  assertCanonical(mps, 0);
});

// ---------- contractions ----------

test('overlap and mpsNorm equal the dense inner product and norm (unnormalised, centre known or not)', () => {
  const r = rng(17);
  for (const n of [1, 3, 6, 9]) {
    const a = randomMps(n, 3, r), b = randomMps(n, 4, r);
    scaleMps(a.mps, 0.3, 0.8);
    scaleMps(b.mps, -1.2, 0.1);
    const da = mpsToDense(a.mps), db = mpsToDense(b.mps);
    const o = overlap(a.mps, b.mps), ref = inner(da, db);
    assert.ok(Math.hypot(o.re - ref.re, o.im - ref.im) < 1e-12, `n=${n}`);
    const o2 = overlap(b.mps, a.mps);
    assert.ok(Math.hypot(o2.re - ref.re, o2.im + ref.im) < 1e-12, '⟨b|a⟩ = conj ⟨a|b⟩');
    assert.ok(Math.abs(mpsNorm(a.mps) - Math.sqrt(norm2(da))) < 1e-12);
    a.mps.center = undefined;
    assert.ok(Math.abs(mpsNorm(a.mps) - Math.sqrt(norm2(da))) < 1e-12);
  }
  assert.throws(() => overlap(zeroMps(2), zeroMps(3)), /2 vs 3/);
});

test('pauliExpectation and localExpectation equal dense expectations (normalised by ⟨ψ|ψ⟩)', () => {
  const r = rng(23);
  const n = 7;
  const { mps } = randomMps(n, 4, r);
  scaleMps(mps, 2, 0);
  const dense = mpsToDense(mps);
  const letters: PauliLetter[] = ['X', 'Y', 'Z'];
  for (let rep = 0; rep < 30; rep++) {
    const factors: PauliFactor[] = [];
    for (let q = 0; q < n; q++) if (r.next() < 0.35) factors.push({ qubit: q, pauli: letters[Math.floor(r.next() * 3)] });
    const ref = densePauliExpectation(dense, factors);
    if (rep % 3 === 0) mps.center = undefined;
    else if (rep % 3 === 1) moveCenter(mps, rep % n);
    assert.ok(Math.abs(pauliExpectation(mps, factors) - ref) < 1e-12, `${JSON.stringify(factors)}`);
  }
  assert.ok(Math.abs(pauliExpectation(mps, []) - 1) < 1e-12, 'identity');
  // a non-Hermitian product: ⟨ψ|σ+ ⊗ Z|ψ⟩ complex
  const sp = Float64Array.from([0, 0, 1, 0, 0, 0, 0, 0]);
  const got = localExpectation(mps, [{ qubit: 2, op: sp }, { qubit: 5, op: PAULI_2.Z }]);
  const p = { qubits: n, re: dense.re.slice(), im: dense.im.slice() };
  apply1(p, 2, sp); apply1(p, 5, PAULI_2.Z);
  const want = inner(dense, p);
  assert.ok(Math.hypot(got.re - want.re / norm2(dense), got.im - want.im / norm2(dense)) < 1e-12);
  assert.throws(() => pauliExpectation(mps, [{ qubit: 1, pauli: 'X' }, { qubit: 1, pauli: 'Z' }]), /twice/);
});

test('pure functions leave their arguments untouched', () => {
  const r = rng(31);
  const { mps } = randomMps(5, 3, r);
  moveCenter(mps, 2);
  const copy = cloneMps(mps);
  overlap(mps, mps); mpsNorm(mps); pauliExpectation(mps, [{ qubit: 0, pauli: 'Y' }, { qubit: 4, pauli: 'X' }]);
  mpsToDense(mps); circuitFidelity(randomCircuit(5, 10, r), mps);
  assert.equal(mps.center, 2);
  for (let i = 0; i < 5; i++) {
    assert.deepEqual(mps.sites[i].re, copy.sites[i].re);
    assert.deepEqual(mps.sites[i].im, copy.sites[i].im);
  }
  // and clones are independent
  applyOneQubit(copy, 0, PAULI_2.X);
  assert.notDeepEqual(mps.sites[0].re, copy.sites[0].re);
});

// ---------- truncation ----------

test('one truncated split: reported δ equals 1 − fidelity with the untruncated state, norm kept', () => {
  const r = rng(41);
  const { mps } = randomMps(10, 6, r);
  normalizeMps(mps);
  for (const cap of [8, 4, 2, 1]) {
    const exact = cloneMps(mps), cut = cloneMps(mps);
    const u = randomUnitary(4, r);
    applyBond(exact, 4, u, { cutoff: 0 });
    const dw = applyBond(cut, 4, u, { maxBond: cap });
    assert.ok(cut.sites[4].right <= cap);
    const o = overlap(exact, cut);
    const f = o.re * o.re + o.im * o.im;
    assert.ok(dw > 0, `cap ${cap} discards something`);
    assert.ok(Math.abs(1 - f - dw) < 1e-12, `cap ${cap}: 1−F=${1 - f} δ=${dw}`);
    assert.ok(Math.abs(mpsNorm(cut) - 1) < 1e-13);
  }
});

test('cutoff drops by relative discarded weight; a truncated circuit stays within the bounds of its tally', () => {
  const r = rng(43);
  const n = 10;
  const c = randomCircuit(n, 160, r, 'neighbours');
  const exact = zeroMps(n);
  applyCircuit(exact, c, { cutoff: 0 });
  for (const opts of [{ maxBond: 8 }, { maxBond: 4 }, { cutoff: 1e-3 }, { cutoff: 1e-2, maxBond: 6 }]) {
    const tally = newTally();
    const psi = zeroMps(n);
    const rep = applyCircuit(psi, c, { ...opts, tally });
    assert.equal(rep.discardedWeight, tally.discardedWeight);
    assert.ok(tally.maxBond <= (opts.maxBond ?? 32));
    const o = overlap(exact, psi);
    const infid = 1 - (o.re * o.re + o.im * o.im);
    assert.ok(infid > 0);
    assert.ok(infid <= tally.distance ** 2, `rigorous bound: ${infid} ≤ ${tally.distance ** 2}`);
    // The usual estimate 1 − F ≈ Σδ: same order of magnitude on a random circuit.
    assert.ok(infid <= 1.5 * tally.discardedWeight && infid >= 0.5 * tally.discardedWeight, `${JSON.stringify(opts)}: 1−F=${infid} Σδ=${tally.discardedWeight}`);
    assert.ok(Math.abs(mpsNorm(psi) - 1) < 1e-12);
  }
});

test('circuitFidelity: 1 against the circuit\'s own output, the dense value against another state, phase-sensitive overlap', () => {
  const r = rng(47);
  const n = 8;
  const c = randomCircuit(n, 80, r);
  const target = zeroMps(n);
  applyCircuit(target, c);
  const self = circuitFidelity(c, target);
  assert.ok(Math.abs(self.fidelity - 1) < 1e-12);
  assert.ok(Math.abs(self.overlap.re - 1) < 1e-12 && Math.abs(self.overlap.im) < 1e-12, 'global phase included');
  const other = randomCircuit(n, 40, r);
  const got = circuitFidelity(other, target).fidelity;
  const want = fidelity(simulate(c), simulate(other));
  assert.ok(Math.abs(got - want) < 1e-12, `${got} vs ${want}`);
  assert.throws(() => applyCircuit(zeroMps(3), { qubits: 4, gates: [] }), /4 qubits/);
});
