// TEBD target states against exact evolution: bond exponentials, the chain split, second-order
// convergence, automatic step doubling and its error estimate, product-formula states on an MPS.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../server/src/lang/analyze';
import { matrix1 } from '../../server/src/engine/circuit/gates';
import { evolveExact, applyHamiltonian } from '../../server/src/engine/sim/exact';
import { type StateVector, apply1, apply2, fidelity, inner, simulate, zeroState } from '../../server/src/engine/sim/statevector';
import { statePreparation, trotterCircuit } from '../../server/src/engine/trotter/circuits';
import { mpsToDense, pauliExpectation } from '../../server/src/engine/mps';
import {
  CancelledError, chainHamiltonian, expmHermitian, productFormulaMps, targetState, type TargetProgress,
} from '../../server/src/engine/tebd';
import type { PauliLetter, PauliSum, PauliTerm } from '../../server/src/model/pauli';
import type { ProductState } from '../../server/src/model/program';
import { rng, type Rng } from '../helpers/random';

// ---------- helpers ----------

function program(src: string): { h: PauliSum; state: ProductState } {
  const a = analyze(src);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return { h: [...a.program.hamiltonians.values()][0].sum, state: [...a.program.states.values()][0] };
}

const fmt = (xs: number[]) => xs.map((x) => x.toFixed(4)).join(', ');

/** XXZ with Δ = 0.7 and random Z fields (seeded), Néel start. */
function xxz(n: number, r: Rng): string {
  const fields = Array.from({ length: n }, () => r.next() * 2 - 1);
  return `qubits ${n}\nparam h = [${fmt(fields)}]\nhamiltonian H {\n  sum i in 0..n-2 { X[i] X[i+1] + Y[i] Y[i+1] + 0.7 * Z[i] Z[i+1] }\n  sum i in 0..n-1 { h[i] * Z[i] }\n}\nstate s = neel\n`;
}
/** Transverse-field Ising, all-zero start. */
const tfim = (n: number) => `qubits ${n}\nhamiltonian H {\n  sum i in 0..n-2 { Z[i] Z[i+1] }\n  sum i in 0..n-1 { 0.9 * X[i] }\n}\nstate s = bits "${'0'.repeat(n)}"\n`;
/** Anisotropic XY with a uniform field, |+…+⟩ start. */
const xy = (n: number) => `qubits ${n}\nhamiltonian H {\n  sum i in 0..n-2 { 1.2 * X[i] X[i+1] + 0.8 * Y[i] Y[i+1] }\n  sum i in 0..n-1 { 0.3 * Z[i] }\n}\nstate s = plus\n`;

function exactState(h: PauliSum, state: ProductState, t: number): StateVector {
  return evolveExact(h, simulate({ qubits: h.qubits, gates: statePreparation(state) }), t);
}

function distance(a: StateVector, b: StateVector): number {
  let s = 0;
  for (let i = 0; i < a.re.length; i++) s += (a.re[i] - b.re[i]) ** 2 + (a.im[i] - b.im[i]) ** 2;
  return Math.sqrt(s);
}

/** Columns of a d×d interleaved matrix applied to basis states, as dense states on log2(d) qubits. */
function columnsOf(u: Float64Array, qubits: 1 | 2): StateVector[] {
  const cols: StateVector[] = [];
  for (let b = 0; b < 1 << qubits; b++) {
    const s = zeroState(qubits);
    s.re[0] = 0;
    s.re[b] = 1;
    // Mat4 basis index 2·b(q0) + b(q1) with q0 = 0 (the LSB): apply through apply2(0, 1).
    if (qubits === 1) apply1(s, 0, u); else apply2(s, 0, 1, u);
    cols.push(s);
  }
  return cols;
}

function randomTerms(qubits: number, r: Rng): PauliTerm[] {
  const L: PauliLetter[] = ['X', 'Y', 'Z'];
  const terms: PauliTerm[] = [];
  for (const a of L) {
    terms.push({ coeff: r.gauss(), factors: [{ qubit: 0, pauli: a }] });
    if (qubits === 2) {
      terms.push({ coeff: r.gauss(), factors: [{ qubit: 1, pauli: a }] });
      for (const b of L) terms.push({ coeff: r.gauss(), factors: [{ qubit: 0, pauli: a }, { qubit: 1, pauli: b }] });
    }
  }
  terms.push({ coeff: r.gauss(), factors: [] });
  return terms;
}

// ---------- bond operators ----------

test('expmHermitian: exp(−iτH) of random Hermitian 2×2 and 4×4 equals exact evolution, also with degenerate spectra', () => {
  const r = rng(101);
  for (const qubits of [1, 2] as const) {
    for (let rep = 0; rep < 5; rep++) {
      const h: PauliSum = { qubits, terms: randomTerms(qubits, r).filter((t) => t.factors.length > 0) };
      const chain = chainHamiltonian(h);
      const hm = qubits === 1 ? chain.single! : chain.bonds[0];
      const tau = 0.2 + 2 * r.next();
      const got = columnsOf(expmHermitian(hm, 2 << (qubits - 1), tau), qubits);
      for (let b = 0; b < got.length; b++) {
        const e = zeroState(qubits);
        e.re[0] = 0; e.re[b] = 1;
        assert.ok(distance(got[b], evolveExact(h, e, tau)) < 1e-12, `qubits=${qubits} rep=${rep} column ${b}`);
      }
    }
  }
  // XX + YY + ZZ has a triply degenerate eigenvalue.
  const heis: PauliSum = { qubits: 2, terms: (['X', 'Y', 'Z'] as const).map((p) => ({ coeff: 1, factors: [{ qubit: 0, pauli: p }, { qubit: 1, pauli: p }] })) };
  const got = columnsOf(expmHermitian(chainHamiltonian(heis).bonds[0], 4, 0.9), 2);
  for (let b = 0; b < 4; b++) {
    const e = zeroState(2);
    e.re[0] = 0; e.re[b] = 1;
    assert.ok(distance(got[b], evolveExact(heis, e, 0.9)) < 1e-12);
  }
});

test('chainHamiltonian: bond operators sum to H (fields split half/half inside, whole at the ends); others refused', () => {
  const r = rng(7);
  const { h } = program(xxz(5, r));
  const chain = chainHamiltonian(h);
  assert.equal(chain.bonds.length, 4);
  const psi = zeroState(5);
  for (let i = 0; i < psi.re.length; i++) { psi.re[i] = r.gauss(); psi.im[i] = r.gauss(); }
  const want = { qubits: 5, re: new Float64Array(32), im: new Float64Array(32) };
  applyHamiltonian(h, psi, want.re, want.im);
  const got = { qubits: 5, re: new Float64Array(32), im: new Float64Array(32) };
  for (let i = 0; i < 4; i++) {
    const s = { qubits: 5, re: psi.re.slice(), im: psi.im.slice() };
    apply2(s, i, i + 1, chain.bonds[i]);
    for (let k = 0; k < 32; k++) { got.re[k] += s.re[k]; got.im[k] += s.im[k]; }
  }
  assert.ok(distance(got, want) < 1e-12);
  // The Z field of qubit 0 is all on bond 0; of qubit 2 half on bonds 1 and 2: the ⟨00|·|00⟩ entries say so.
  const fields: number[] = [];
  for (const t of h.terms) if (t.factors.length === 1) fields[t.factors[0].qubit] = t.coeff;
  const zz = 0.7;
  assert.ok(Math.abs(chain.bonds[0][0] - (zz + fields[0] + fields[1] / 2)) < 1e-12);
  assert.ok(Math.abs(chain.bonds[1][0] - (zz + fields[1] / 2 + fields[2] / 2)) < 1e-12);
  assert.ok(Math.abs(chain.bonds[3][0] - (zz + fields[3] / 2 + fields[4])) < 1e-12);
  const longRange = program('qubits 4\nhamiltonian H { X[0] X[2] + Z[1] }\nstate s = neel\n');
  assert.throws(() => chainHamiltonian(longRange.h), /nearest-neighbour chain.*X\[0\] X\[2\]/);
  const threeBody = program('qubits 4\nhamiltonian H { X[0] Y[1] Z[2] }\nstate s = neel\n');
  assert.throws(() => targetState(threeBody.h, threeBody.state, 1, { bond: 8, steps: 4 }), /nearest-neighbour/);
});

// ---------- TEBD against exact evolution ----------

test('TEBD matches exact evolution to < 1e-8 (XXZ with random fields, transverse Ising, XY; t = 0.3, 1, 2)', () => {
  const r = rng(2025);
  const cases: Array<[string, string, number, number, number]> = [
    // name, source, t, steps, tolerance
    ['xxz', xxz(12, r), 0.3, 48, 1e-8],
    ['xxz', xxz(12, r), 1.0, 192, 1e-8],
    ['xxz', xxz(10, r), 2.0, 512, 1e-8],
    ['tfim', tfim(12), 0.3, 32, 1e-8],
    ['tfim', tfim(12), 1.0, 128, 1e-8],
    ['tfim', tfim(10), 2.0, 256, 1e-8],
    ['xy', xy(12), 0.3, 32, 1e-8],
    ['xy', xy(12), 1.0, 128, 1e-8],
    ['xy', xy(10), 2.0, 384, 1e-8],
  ];
  for (const [name, src, t, steps, tol] of cases) {
    const { h, state } = program(src);
    const res = targetState(h, state, t, { bond: 64, cutoff: 1e-16, steps, estimate: false });
    const exact = exactState(h, state, t);
    const psi = mpsToDense(res.mps);
    const err = 1 - fidelity(exact, psi);
    assert.ok(err < tol, `${name} n=${h.qubits} t=${t}: 1−F = ${err}`);
    // The global phase is right as well: the overlap itself is ≈ 1.
    const o = inner(exact, psi);
    // (The Trotter error also has a component along ψ, a phase error larger than 1 − F.)
    assert.ok(Math.hypot(o.re - 1, o.im) < 1e-3, `${name} t=${t}: ⟨exact|ψ⟩ = ${o.re} + ${o.im}i`);
    assert.equal(res.steps, steps);
    assert.ok(Number.isNaN(res.timestepError), 'no estimate was asked for');
  }
});

test('second order: the error amplitude ‖ψ_s − ψ_exact‖ falls 4× per halving of dt', () => {
  const r = rng(3);
  const { h, state } = program(xxz(8, r));
  const exact = exactState(h, state, 1.0);
  const errs = [4, 8, 16, 32].map((s) => distance(mpsToDense(targetState(h, state, 1.0, { bond: 64, cutoff: 1e-16, steps: s, estimate: false }).mps), exact));
  for (let i = 0; i + 1 < errs.length; i++) {
    const order = Math.log2(errs[i] / errs[i + 1]);
    assert.ok(Math.abs(order - 2) < 0.15, `errors ${errs}: observed order ${order}`);
  }
});

test("steps 'auto': doubles until halving dt changes the target by < 1e-6; timestepError bounds the true error", () => {
  const r = rng(99);
  for (const [src, t] of [[xxz(10, r), 1.0], [tfim(10), 2.0], [xy(9), 0.3]] as const) {
    const { h, state } = program(src);
    const progress: TargetProgress[] = [];
    const res = targetState(h, state, t, { bond: 64, cutoff: 1e-16, steps: 'auto', onProgress: (p) => progress.push(p) });
    assert.equal(res.stopReason, 'converged');
    assert.ok(res.converged && res.timestepError < 1e-6);
    // Doubling from s0, each check compares s with s/2, the last with the returned state.
    const last = res.checks[res.checks.length - 1];
    assert.equal(last.steps, res.steps);
    assert.equal(last.reference * 2, res.steps);
    for (let i = 0; i + 1 < res.checks.length; i++) assert.ok(res.checks[i].change >= 1e-6, 'stops at the first check below tolerance');
    const err = 1 - fidelity(exactState(h, state, t), mpsToDense(res.mps));
    assert.ok(err <= res.timestepError, `true error ${err} ≤ reported ${res.timestepError}`);
    // Richardson: the refined estimate is within a factor 2 of the truth (truncation is negligible here).
    assert.ok(err < 2 * res.timestepErrorRefined && err > 0.5 * res.timestepErrorRefined, `refined ${res.timestepErrorRefined} vs ${err}`);
    // Progress arrives for every step of every run, in order within a run.
    const runs = new Set(progress.map((p) => p.run));
    assert.equal(runs.size, res.checks.length + 1);
    const lastRun = progress.filter((p) => p.run === Math.max(...runs));
    assert.deepEqual(lastRun.map((p) => p.step), Array.from({ length: res.steps }, (_, i) => i + 1));
  }
});

test('fixed steps: the comparison with N/2 steps bounds the error, the refined value estimates it', () => {
  const r = rng(5);
  const { h, state } = program(xxz(8, r));
  const exact = exactState(h, state, 1.0);
  for (const N of [10, 40, 7]) {
    const res = targetState(h, state, 1.0, { bond: 64, cutoff: 1e-16, steps: N });
    assert.equal(res.stopReason, 'fixed');
    assert.deepEqual(res.checks.map((c) => [c.steps, c.reference]), [[N, Math.floor(N / 2)]]);
    const err = 1 - fidelity(exact, mpsToDense(res.mps));
    assert.ok(err <= res.timestepError, `N=${N}: ${err} ≤ ${res.timestepError}`);
    assert.ok(err < 2 * res.timestepErrorRefined && err > 0.5 * res.timestepErrorRefined, `N=${N}: refined ${res.timestepErrorRefined} vs ${err}`);
  }
  // N = 1 compares with 2 steps: the estimate is then 16/9 Δ.
  const one = targetState(h, state, 0.1, { bond: 64, cutoff: 1e-16, steps: 1 });
  assert.deepEqual(one.checks.map((c) => [c.steps, c.reference]), [[1, 2]]);
  assert.ok(Math.abs(one.timestepErrorRefined / one.checks[0].change - 16 / 9) < 1e-12);
});

test('caps end with an honest report: maxSteps, and a bond cap that makes truncation dominate', () => {
  const r = rng(13);
  const { h, state } = program(xxz(10, r));
  const capped = targetState(h, state, 2.0, { bond: 64, steps: 'auto', maxSteps: 16 });
  assert.equal(capped.stopReason, 'maxSteps');
  assert.equal(capped.converged, false);
  assert.ok(capped.steps <= 16 && capped.timestepError > 1e-6);
  const err = 1 - fidelity(exactState(h, state, 2.0), mpsToDense(capped.mps));
  assert.ok(err <= capped.timestepError, `${err} ≤ ${capped.timestepError}`);

  const truncated = targetState(h, state, 2.0, { bond: 4, steps: 'auto' });
  assert.equal(truncated.stopReason, 'truncation');
  assert.equal(truncated.converged, false);
  assert.ok(truncated.maxBond <= 4);
  assert.ok(truncated.discardedWeight > 1e-4, `Σδ = ${truncated.discardedWeight}`);
  const terr = 1 - fidelity(exactState(h, state, 2.0), mpsToDense(truncated.mps));
  assert.ok(terr <= truncated.truncationBound + truncated.timestepError, 'rigorous truncation bound + time-step estimate');
});

test('one and two qubits are exact in one step (identity shift as a global phase)', () => {
  for (const src of [
    'qubits 1\nhamiltonian H { 0.4 * X[0] + -0.3 * Y[0] + 0.8 * Z[0] + 0.5 * I[0] }\nstate s = plus\n',
    'qubits 2\nhamiltonian H { X[0] X[1] + 0.5 * Y[0] Z[1] + 0.3 * Z[0] + -0.6 * X[1] + 0.25 * I[0] }\nstate s = bits "10"\n',
  ]) {
    const { h, state } = program(src);
    const res = targetState(h, state, 1.3, { bond: 4, steps: 'auto' });
    assert.equal(res.stopReason, 'exact');
    assert.equal(res.timestepError, 0);
    const o = inner(exactState(h, state, 1.3), mpsToDense(res.mps));
    assert.ok(Math.hypot(o.re - 1, o.im) < 1e-12, `n=${h.qubits}: ${o.re} + ${o.im}i`);
  }
});

test('identity terms give the global phase e^{−i·c·t} for chains too', () => {
  const { h, state } = program('qubits 4\nhamiltonian H {\n  sum i in 0..n-2 { Z[i] Z[i+1] }\n  sum i in 0..n-1 { 0.5 * X[i] }\n  1.7 * I[0]\n}\nstate s = neel\n');
  const res = targetState(h, state, 0.8, { bond: 16, cutoff: 1e-16, steps: 200, estimate: false });
  const o = inner(exactState(h, state, 0.8), mpsToDense(res.mps));
  assert.ok(Math.hypot(o.re - 1, o.im) < 1e-5, `${o.re} + ${o.im}i`);
});

test('shouldStop cancels with CancelledError; magnetisation of the target is physical', () => {
  const r = rng(21);
  const { h, state } = program(xxz(8, r));
  let polls = 0;
  assert.throws(() => targetState(h, state, 1, { bond: 16, steps: 'auto', shouldStop: () => ++polls > 5 }), CancelledError);
  assert.equal(polls, 6);
  // ⟨Z_0⟩ of the target: the MPS contraction equals the dense value of the same state, and is within
  // 2‖ψ − ψ_exact‖ of the exact expectation.
  const res = targetState(h, state, 1, { bond: 64, cutoff: 1e-16, steps: 64, estimate: false });
  const psi = mpsToDense(res.mps), exact = exactState(h, state, 1);
  const zOf = (s: StateVector) => {
    const z = { qubits: 8, re: s.re.slice(), im: s.im.slice() };
    apply1(z, 0, matrix1('z', []));
    return inner(s, z).re;
  };
  const z = pauliExpectation(res.mps, [{ qubit: 0, pauli: 'Z' }]);
  assert.ok(Math.abs(z - zOf(psi)) < 1e-12);
  assert.ok(Math.abs(z - zOf(exact)) <= 2 * distance(psi, exact));
  assert.ok(Math.abs(z - zOf(exact)) < 1e-2);
});

// ---------- product formulas on an MPS ----------

test('productFormulaMps equals the statevector simulation of the same Trotter circuit (long strings, distant pairs)', () => {
  const src = 'qubits 7\nhamiltonian H {\n  sum i in 0..n-2 { X[i] X[i+1] + 0.5 * Z[i] Z[i+1] }\n  0.4 * X[0] Z[1] Z[2] Y[3]\n  0.3 * Y[1] Y[5]\n  -0.2 * Z[2] X[6]\n  sum i in 0..n-1 { 0.3 * Z[i] }\n  0.9 * I[0]\n}\nstate s = neel\n';
  const { h, state } = program(src);
  for (const order of [1, 2] as const) {
    for (const steps of [1, 3]) {
      const res = productFormulaMps(h, state, 0.7, steps, order, { bond: 128, cutoff: 1e-16 });
      const ref = simulate(trotterCircuit(h, state, 0.7, { steps, order }));
      assert.ok(distance(mpsToDense(res.mps), ref) < 1e-10, `order ${order}, ${steps} steps`);
      assert.ok(res.discardedWeight < 1e-15);
    }
  }
  // With a bond cap it is an approximation whose error the tally bounds.
  const capped = productFormulaMps(h, state, 0.7, 3, 2, { bond: 2 });
  const ref = simulate(trotterCircuit(h, state, 0.7, { steps: 3, order: 2 }));
  const err = 1 - fidelity(ref, mpsToDense(capped.mps));
  assert.equal(capped.maxBond, 2);
  assert.ok(err > 1e-6 && err <= capped.truncationBound, `${err} ≤ ${capped.truncationBound}`);
});
