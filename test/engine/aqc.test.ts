// The AQC ansatz, its start point, and the fidelity gradient against independent references.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../server/src/lang/analyze';
import { ansatzCircuit, buildAnsatz, trotterStart } from '../../server/src/engine/aqc/ansatz';
import { ansatzState, evaluate } from '../../server/src/engine/aqc/objective';
import { chainHamiltonian, expmHermitian } from '../../server/src/engine/tebd';
import { mpsToDense, productMps, applyTwoQubit } from '../../server/src/engine/mps';
import { type StateVector, fidelity, simulate, zeroState, apply2, apply1 } from '../../server/src/engine/sim/statevector';
import { evolveExact } from '../../server/src/engine/sim/exact';
import { rng } from '../helpers/random';
import type { Mat2 } from '../../server/src/engine/circuit/gates';

const SRC = `qubits 6
param h = [0.3, -0.2, 0.5, 0.1, -0.4, 0.2]
hamiltonian H {
  sum i in 0..n-2 { X[i] X[i+1] + Y[i] Y[i+1] + 0.6 * Z[i] Z[i+1] + 0.2 * X[i] Z[i+1] }
  sum i in 0..n-1 { h[i] * Z[i] + 0.3 * X[i] }
}
state s = neel
`;

function setup(src = SRC) {
  const a = analyze(src);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error'), []);
  const h = a.program.hamiltonians.get('H')!.sum;
  const st = [...a.program.states.values()][0];
  return { h, st, chain: chainHamiltonian(h) };
}

/** The folded-field Trotter circuit applied densely: product state, then exp(−i w dt h_i) per brick. */
function denseTrotter(chain: ReturnType<typeof chainHamiltonian>, labels: string, t: number, steps: number, order: 1 | 2): StateVector {
  const s = zeroState(chain.n);
  const X: Mat2 = Float64Array.from([0, 0, 1, 0, 1, 0, 0, 0]);
  const H: Mat2 = Float64Array.from([Math.SQRT1_2, 0, Math.SQRT1_2, 0, Math.SQRT1_2, 0, -Math.SQRT1_2, 0]);
  for (let q = 0; q < chain.n; q++) if (labels[q] === '1') apply1(s, q, X); else if (labels[q] === '+') apply1(s, q, H);
  const dt = t / steps;
  const sched: Array<[number, number]> = [];
  for (let k = 0; k < steps; k++) {
    if (order === 1) sched.push([0, 1], [1, 1]);
    else sched.push([0, 0.5], [1, 1], [0, 0.5]);
  }
  for (const [parity, w] of sched) for (let q = parity; q + 1 < chain.n; q += 2) apply2(s, q, q + 1, expmHermitian(chain.bonds[q], 4, w * dt));
  return s;
}

test('the ansatz has the brick structure of k Trotter steps, with merged half steps', () => {
  const a = buildAnsatz(6, 3, 2);
  assert.equal(a.layers.length, 7); // E(½) O E O E O E(½)
  assert.deepEqual(a.layers.map((l) => l.map((b) => b.q)), [[0, 2, 4], [1, 3], [0, 2, 4], [1, 3], [0, 2, 4], [1, 3], [0, 2, 4]]);
  assert.equal(a.parameters, 2 * 6 + 9 * (4 * 3 + 3 * 2));
  assert.equal(buildAnsatz(50, 1, 2).parameters, 100 + 9 * 74);
});

test('at the start the ansatz equals the Trotter circuit (to 1e-10), orders 1 and 2, all state kinds', () => {
  const { chain } = setup();
  for (const labels of ['010101', '000000', '++++++', '110100']) {
    for (const [steps, order] of [[1, 2], [3, 2], [2, 1]] as const) {
      const { ansatz, params } = trotterStart(chain, labels, 0.7, steps, order);
      const got = simulate(ansatzCircuit(ansatz, params));
      const want = denseTrotter(chain, labels, 0.7, steps, order);
      assert.ok(1 - fidelity(got, want) < 1e-10, `${labels} k=${steps} order ${order}: ${1 - fidelity(got, want)}`);
      // The MPS forward sweep agrees with the gate-level circuit.
      const mps = mpsToDense(ansatzState(ansatz, params, { maxBond: 64 }));
      assert.ok(1 - fidelity(mps, got) < 1e-10);
    }
  }
});

test('the fidelity matches statevector simulation and the gradient matches finite differences', () => {
  const { h, st, chain } = setup();
  const exact = evolveExact(h, simulate({ qubits: 6, gates: [] }, (() => { const s = zeroState(6); s.re[0] = 0; s.re[0b101010] = 1; return s; })()), 0.9);
  // The target: a fine Trotter MPS; the fidelity is checked against its own dense state.
  const target = productMps(st.labels);
  for (let k = 0; k < 40; k++) {
    for (const parity of [0, 1, 0]) for (let q = parity; q + 1 < 6; q += 2) applyTwoQubit(target, q, q + 1, expmHermitian(chain.bonds[q], 4, (parity === 0 ? 0.5 : 1) * 0.9 / 40), { maxBond: 64 });
  }
  const targetDense = mpsToDense(target);
  assert.ok(1 - fidelity(targetDense, exact) < 1e-4, 'target close to exact');
  const r = rng(7);
  const { ansatz, params } = trotterStart(chain, st.labels, 0.9, 2, 2);
  for (let i = 0; i < params.length; i++) params[i] += 0.05 * r.gauss(); // away from the start point
  const ev = evaluate(ansatz, target, params, { maxBond: 64 });
  const sv = simulate(ansatzCircuit(ansatz, params));
  assert.ok(Math.abs(ev.fidelity - fidelity(targetDense, sv)) < 1e-10, `${ev.fidelity} vs ${fidelity(targetDense, sv)}`);
  const eps = 1e-6;
  let worst = 0;
  for (let i = 0; i < params.length; i++) {
    const pp = params.slice(); pp[i] += eps;
    const pm = params.slice(); pm[i] -= eps;
    const fd = (fidelity(targetDense, simulate(ansatzCircuit(ansatz, pp))) - fidelity(targetDense, simulate(ansatzCircuit(ansatz, pm)))) / (2 * eps);
    worst = Math.max(worst, Math.abs(fd - ev.gradient[i]));
  }
  assert.ok(worst < 1e-7, `worst gradient error ${worst}`);
});
