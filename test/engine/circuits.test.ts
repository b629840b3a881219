// Gate conventions, the 3-CX Weyl block, Pauli rotations and Trotter circuits against exact evolution.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../server/src/lang/analyze';
import { pauliRotation, weylBlock, WEYL_BLOCK_PHASE } from '../../server/src/engine/circuit/blocks';
import { type Gate, gate } from '../../server/src/engine/circuit/gates';
import { evolveExact } from '../../server/src/engine/sim/exact';
import { type StateVector, fidelity, inner, simulate, zeroState, applyGate } from '../../server/src/engine/sim/statevector';
import { trotterCircuit, statePreparation } from '../../server/src/engine/trotter/circuits';
import type { PauliSum } from '../../server/src/model/pauli';

/** Columns of the unitary of `gates` on n qubits, by simulating each basis state. */
function unitaryOf(n: number, gates: Gate[], phase = 0): StateVector[] {
  const cols: StateVector[] = [];
  for (let b = 0; b < 1 << n; b++) {
    const s = zeroState(n);
    s.re[0] = 0;
    s.re[b] = 1;
    cols.push(simulate({ qubits: n, gates, globalPhase: phase }, s));
  }
  return cols;
}

/** Columns of exp(-i t H) by exact evolution of basis states. */
function expOf(h: PauliSum, t: number): StateVector[] {
  const cols: StateVector[] = [];
  for (let b = 0; b < 1 << h.qubits; b++) {
    const s = zeroState(h.qubits);
    s.re[0] = 0;
    s.re[b] = 1;
    cols.push(evolveExact(h, s, t));
  }
  return cols;
}

function maxDiff(a: StateVector[], b: StateVector[]): number {
  let m = 0;
  for (let c = 0; c < a.length; c++) for (let i = 0; i < a[c].re.length; i++) m = Math.max(m, Math.hypot(a[c].re[i] - b[c].re[i], a[c].im[i] - b[c].im[i]));
  return m;
}


test('qubit 0 is the least significant bit; neel prepares |…1010⟩ with qubit 0 in |0⟩', () => {
  const a = analyze('qubits 4\nstate s = neel\n');
  const s = simulate({ qubits: 4, gates: statePreparation(a.program.states.get('s')!) });
  // qubits 1 and 3 are 1 → index 0b1010 = 10.
  assert.equal(s.re[10], 1);
  const b = analyze('qubits 3\nstate s = bits "100"\n');
  assert.equal(simulate({ qubits: 3, gates: statePreparation(b.program.states.get('s')!) }).re[1], 1);
});

test('cx(control, target) flips the target when the control is 1 (Qiskit order)', () => {
  const s = zeroState(2);
  applyGate(s, gate('x', [0]));
  applyGate(s, gate('cx', [0, 1]));
  assert.equal(s.re[3], 1);
  const t = zeroState(2);
  applyGate(t, gate('x', [1]));
  applyGate(t, gate('cx', [0, 1]));
  assert.equal(t.re[2], 1, 'control 0 in |0⟩: nothing happens');
});

test('rotations are exp(-iθP/2): rx, ry, rz against exact evolution of θ/2·P', () => {
  for (const p of ['X', 'Y', 'Z'] as const) {
    const h: PauliSum = { qubits: 1, terms: [{ coeff: 0.5, factors: [{ qubit: 0, pauli: p }] }] };
    const g = gate(p === 'X' ? 'rx' : p === 'Y' ? 'ry' : 'rz', [0], [0.73]);
    assert.ok(maxDiff(unitaryOf(1, [g]), expOf(h, 0.73)) < 1e-12, p);
  }
});

test('the 3-CX block equals exp(i(aXX + bYY + cZZ)) up to the documented global phase', () => {
  for (const [a, b, c] of [[0.3, -0.2, 0.7], [0, 0, 0], [1.1, 0.4, -0.9], [Math.PI / 4, Math.PI / 4, Math.PI / 4]]) {
    const h: PauliSum = { qubits: 2, terms: [
      { coeff: -a, factors: [{ qubit: 0, pauli: 'X' }, { qubit: 1, pauli: 'X' }] },
      { coeff: -b, factors: [{ qubit: 0, pauli: 'Y' }, { qubit: 1, pauli: 'Y' }] },
      { coeff: -c, factors: [{ qubit: 0, pauli: 'Z' }, { qubit: 1, pauli: 'Z' }] },
    ] };
    const gates = weylBlock(0, 1, a, b, c);
    assert.equal(gates.filter((g) => g.name === 'cx').length, 3);
    assert.ok(maxDiff(unitaryOf(2, gates, WEYL_BLOCK_PHASE), expOf(h, 1)) < 1e-12, `${a},${b},${c}`);
  }
});

test('Pauli-string rotations exp(-iθ/2 P) for strings of weight 1..4 with X, Y, Z', () => {
  const strings = [['X'], ['Y', 'Z'], ['X', 'Y', 'Z'], ['Y', 'X', 'Y', 'X'], ['Z', 'Y']] as const;
  for (const s of strings) {
    const factors = s.map((p, i) => ({ qubit: i === 1 && s.length === 2 ? 3 : i, pauli: p }));
    const h: PauliSum = { qubits: 4, terms: [{ coeff: 0.5, factors }] };
    assert.ok(maxDiff(unitaryOf(4, pauliRotation(factors, 0.61)), expOf(h, 0.61)) < 1e-12, s.join(''));
  }
});

const XXZ6 = 'qubits 6\nparam h = [0.3, -0.2, 0.5, 0.1, -0.4, 0.2]\nhamiltonian H {\n  sum i in 0..n-2 { X[i] X[i+1] + Y[i] Y[i+1] + 0.6 * Z[i] Z[i+1] }\n  sum i in 0..n-1 { h[i] * Z[i] + 0.3 * X[i] }\n}\nstate s = neel\n';

function trotterError(src: string, steps: number, order: 1 | 2, t: number): number {
  const a = analyze(src);
  const h = [...a.program.hamiltonians.values()][0].sum;
  const st = [...a.program.states.values()][0];
  const exact = evolveExact(h, simulate({ qubits: h.qubits, gates: statePreparation(st) }), t);
  const c = simulate(trotterCircuit(h, st, t, { steps, order }));
  return 1 - fidelity(exact, c);
}

test('second-order Trotter infidelity shrinks as dt⁴ (error amplitude as dt²); first order as dt²', () => {
  const e2 = [4, 8, 16].map((k) => trotterError(XXZ6, k, 2, 1.0));
  const e1 = [8, 16, 32].map((k) => trotterError(XXZ6, k, 1, 1.0));
  // Halving dt: amplitude error ×¼ (order 2) or ×½ (order 1); infidelity is its square.
  for (let i = 0; i + 1 < e2.length; i++) assert.ok(Math.abs(Math.log2(e2[i] / e2[i + 1]) - 4) < 0.4, `order 2 ratios ${e2}`);
  for (let i = 0; i + 1 < e1.length; i++) assert.ok(Math.abs(Math.log2(e1[i] / e1[i + 1]) - 2) < 0.4, `order 1 ratios ${e1}`);
});

test('Trotter circuits keep the global phase: ⟨exact|circuit⟩ → 1 (not just |·|²), identity shift included', () => {
  const src = 'qubits 4\nhamiltonian H {\n  sum i in 0..n-2 { X[i] X[i+1] + Y[i] Y[i+1] + Z[i] Z[i+1] }\n  0.7 * I[0]\n  sum i in 0..n-1 { 0.2 * Z[i] }\n}\nstate s = plus\n';
  const a = analyze(src);
  const h = [...a.program.hamiltonians.values()][0].sum;
  const st = a.program.states.get('s')!;
  const exact = evolveExact(h, simulate({ qubits: 4, gates: statePreparation(st) }), 0.5);
  const c = simulate(trotterCircuit(h, st, 0.5, { steps: 64, order: 2 }));
  const ov = inner(exact, c);
  assert.ok(Math.abs(ov.re - 1) < 1e-5 && Math.abs(ov.im) < 1e-5, JSON.stringify(ov));
});

test('non-nearest-neighbour rings compile with generic blocks and converge', () => {
  const ring = 'qubits 6\nhamiltonian H {\n  sum i in 0..n-1 { 0.5 * (X[i] X[(i+1) % n] + Y[i] Y[(i+1) % n]) }\n  X[0] Z[2] Y[4]\n}\nstate s = bits "110000"\n';
  const e = [8, 16].map((k) => trotterError(ring, k, 2, 0.8));
  assert.ok(e[1] < 1e-4 && e[1] < e[0] / 8, String(e));
});

test('merging one-qubit runs into U keeps the exact state, phase included, and drops identities', async () => {
  const { mergeSingleQubitGates } = await import('../../server/src/engine/circuit/merge');
  const { circuitStats } = await import('../../server/src/engine/circuit/stats');
  const a = analyze(XXZ6);
  const h = [...a.program.hamiltonians.values()][0].sum;
  const c = trotterCircuit(h, a.program.states.get('s')!, 0.7, { steps: 3, order: 2 });
  const m = mergeSingleQubitGates(c);
  const ov = inner(simulate(c), simulate(m));
  assert.ok(Math.abs(ov.re - 1) < 1e-12 && Math.abs(ov.im) < 1e-12, JSON.stringify(ov));
  const before = circuitStats(c);
  const after = circuitStats(m);
  assert.ok(after.gates < before.gates, `${after.gates} < ${before.gates}`);
  assert.equal(after.cxCount, before.cxCount);
  assert.equal(after.twoQubitDepth, before.twoQubitDepth);
  // s·sdg and h·h vanish entirely.
  const id = mergeSingleQubitGates({ qubits: 1, gates: [gate('s', [0]), gate('sdg', [0]), gate('h', [0]), gate('h', [0])] });
  assert.equal(id.gates.length, 0);
  assert.ok(Math.abs(Math.cos(id.globalPhase ?? 0) - 1) < 1e-12);
  // Runs multiplying to −I vanish too, leaving a phase of π (a regression: it once came out 0).
  for (const g of ['rz', 'rx', 'ry'] as const) {
    const minusI = mergeSingleQubitGates({ qubits: 1, gates: [gate(g, [0], [Math.PI]), gate(g, [0], [Math.PI])] });
    assert.equal(minusI.gates.length, 0);
    assert.ok(Math.abs(Math.cos(minusI.globalPhase ?? 0) + 1) < 1e-12, `${g}: phase ${minusI.globalPhase}`);
  }
});

test('circuit stats: depth, two-qubit depth, CX count', async () => {
  const { circuitStats } = await import('../../server/src/engine/circuit/stats');
  const s = circuitStats({ qubits: 3, gates: [gate('h', [0]), gate('cx', [0, 1]), gate('cx', [1, 2]), gate('x', [0]), gate('rz', [2], [0.1])] });
  assert.deepEqual({ d: s.depth, d2: s.twoQubitDepth, cx: s.cxCount }, { d: 4, d2: 2, cx: 2 });
  // A 4-qubit XXZ chain, one second-order step: even bonds (0,1),(2,3) then odd (1,2) then even again.
  const a = analyze('qubits 4\nhamiltonian H { sum i in 0..n-2 { X[i] X[i+1] + Y[i] Y[i+1] + Z[i] Z[i+1] } }\nstate s = zero\n');
  const c = trotterCircuit(a.program.hamiltonians.get('H')!.sum, a.program.states.get('s')!, 1, { steps: 1, order: 2 });
  const st = circuitStats(c);
  assert.equal(st.cxCount, 3 * 5);
  assert.equal(st.twoQubitDepth, 9);
});
