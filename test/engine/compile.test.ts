// Compiling evolve blocks end to end: what the compiler reports against its target must hold
// against the exact state, within the target's own error estimate.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../server/src/lang/analyze';
import { TargetCache, compileBlock } from '../../server/src/engine/compile/compile';
import { evolveExact } from '../../server/src/engine/sim/exact';
import { fidelity, simulate } from '../../server/src/engine/sim/statevector';
import { statePreparation } from '../../server/src/engine/trotter/circuits';
import { circuitStats } from '../../server/src/engine/circuit/stats';
import type { EvolveBlock } from '../../server/src/model/program';

function blocks(src: string): EvolveBlock[] {
  const a = analyze(src);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return [...a.program.evolves];
}

function exactFidelity(b: EvolveBlock, circuit: Parameters<typeof simulate>[0]): number {
  const psi0 = simulate({ qubits: b.hamiltonian.sum.qubits, gates: statePreparation(b.state) });
  return fidelity(evolveExact(b.hamiltonian.sum, psi0, b.time), simulate(circuit));
}

/** |F_exact − F_target| ≤ 2√ε + 1e-9 for a target with infidelity ε (angles add on the sphere). */
function withinTargetError(fExact: number, fReported: number, targetError: number): boolean {
  return Math.abs(fExact - fReported) <= 2 * Math.sqrt(targetError) + 1e-9;
}

const XXZ12 = `qubits 12
param hz = [0.1, -0.3, 0.2, 0.0, 0.1, -0.1, 0.3, -0.2, 0.0, 0.1, 0.2, -0.1]
hamiltonian H {
  sum i in 0..n-2 { X[i] X[i+1] + Y[i] Y[i+1] + 0.5 * Z[i] Z[i+1] }
  sum i in 0..n-1 { hz[i] * Z[i] }
}
state psi0 = neel
evolve psi0 under H for 0.6 as shallow {
  layers = 2
  fidelity = 0.9999
  maxiter = 60
}
evolve psi0 under H for 0.6 as plain {
  method = trotter
  layers = 2
}
`;

test('12-qubit XXZ: the AQC circuit beats its Trotter start, and its fidelity holds against the exact state', () => {
  const targets = new TargetCache();
  const [aqc, plain] = blocks(XXZ12);
  const r = compileBlock(aqc, {}, targets);
  const n = r.numbers;
  assert.equal(r.method, 'aqc');
  assert.ok(n.fidelity! > n.startFidelity!, `${n.fidelity} > ${n.startFidelity}`);
  assert.ok((1 - n.fidelity!) < (1 - n.startFidelity!) / 3, 'at least a 3-fold cut of the infidelity');
  assert.equal(n.trace!.length, n.iterations);
  assert.ok(n.targetError! < 1e-5, `target error ${n.targetError}`);
  const fExact = exactFidelity(aqc, r.circuit);
  assert.ok(withinTargetError(fExact, n.fidelity!, n.targetError!), `exact ${fExact} vs reported ${n.fidelity} (ε = ${n.targetError})`);
  // Its circuit: 2 layers of order 2 = 5 brick layers of 3-CX blocks.
  assert.equal(n.twoQubitDepth, 15);
  assert.equal(n.cxCount, circuitStats(r.circuit).cxCount);
  // The Trotter circuit of the same depth is the start point.
  assert.ok(Math.abs(n.trotter!.sameDepthFidelity! - n.startFidelity!) < 1e-9);
  if (n.trotter!.stepsForSameFidelity) assert.ok(n.trotter!.depthRatio! > 1);

  const p = compileBlock(plain, {}, targets);
  assert.equal(p.method, 'trotter');
  assert.ok(withinTargetError(exactFidelity(plain, p.circuit), p.numbers.fidelity!, p.numbers.targetError!));
  assert.ok(Math.abs(p.numbers.fidelity! - n.startFidelity!) < 1e-9, 'the same Trotter circuit, measured twice');
});

test('same file, same seed: the same circuit', () => {
  const [aqc] = blocks(XXZ12.replace('maxiter = 60', 'maxiter = 10'));
  const a = compileBlock(aqc);
  const b = compileBlock(aqc);
  assert.deepEqual(a.circuit, b.circuit);
});

test('a non-nearest-neighbour ring compiles with method = trotter against a product-formula target', () => {
  const [b] = blocks('qubits 8\nparam t = 0.8\nhamiltonian H {\n  sum i in 0..n-1 { 0.5 * (X[i] X[(i+1) % n] + Y[i] Y[(i+1) % n]) }\n}\nstate s = bits "11000000"\nevolve s under H for t {\n  method = trotter\n  layers = 8\n}\n');
  const r = compileBlock(b);
  assert.ok(r.numbers.fidelity! > 0.99);
  assert.ok(withinTargetError(exactFidelity(b, r.circuit), r.numbers.fidelity!, r.numbers.targetError!));
});

test('a goal out of reach is reported as such, with a note', () => {
  const [b] = blocks(XXZ12.replace('fidelity = 0.9999', 'fidelity = 0.9999999').replace('maxiter = 60', 'maxiter = 3'));
  const r = compileBlock(b);
  assert.equal(r.goalReached, false);
  assert.ok(r.notes.some((x) => /below the goal/.test(x)), r.notes.join('\n'));
});

test('cancellation ends a compile with CancelledError', () => {
  const [b] = blocks(XXZ12);
  let calls = 0;
  assert.throws(() => compileBlock(b, { shouldStop: () => ++calls > 20 }), { name: 'CancelledError' });
});
