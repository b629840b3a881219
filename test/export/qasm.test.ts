// OpenQASM 3 and 2 exports read back by an independent reader and simulated: QASM 3 reproduces the
// state exactly (global phase included), QASM 2 up to the global phase its header records.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type Circuit, gate } from '../../server/src/engine/circuit/gates';
import { mergeSingleQubitGates } from '../../server/src/engine/circuit/merge';
import { type StateVector, fidelity, inner, simulate } from '../../server/src/engine/sim/statevector';
import { trotterCircuit } from '../../server/src/engine/trotter/circuits';
import { formatNumber } from '../../server/src/export/common';
import type { ExportHeader } from '../../server/src/export/header';
import { toQasm2 } from '../../server/src/export/qasm2';
import { toQasm3 } from '../../server/src/export/qasm3';
import { analyze } from '../../server/src/lang/analyze';
import { type QasmProgram, readQasm } from '../helpers/qasm-reader';
import { rng } from '../helpers/random';

const HEADER: ExportHeader = { source: 'test.qham', block: 'b', method: 'trotter', settings: { steps: 3 } };

function trotterOf(src: string, t: number, steps: number, order: 1 | 2 = 2): Circuit {
  const a = analyze(src);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const h = [...a.program.hamiltonians.values()][0].sum;
  const st = [...a.program.states.values()][0];
  return trotterCircuit(h, st, t, { steps, order });
}

const XXZ5 = 'qubits 5\nparam h = [0.3, -0.2, 0.5, 0.1, -0.4]\nhamiltonian H {\n  sum i in 0..n-2 { X[i] X[i+1] + Y[i] Y[i+1] + 0.6 * Z[i] Z[i+1] }\n  sum i in 0..n-1 { h[i] * Z[i] + 0.3 * X[i] }\n  0.7 * I[0]\n}\nstate s = neel\n';
// Non-nearest-neighbour terms: Pauli-string rotations with h/s/sdg basis changes.
const RING = 'qubits 5\nhamiltonian H {\n  sum i in 0..n-1 { 0.5 * (X[i] X[(i+1) % n] + Y[i] Y[(i+1) % n]) }\n  X[0] Z[2] Y[4]\n}\nstate s = plus\n';

/** Every gate kind the model has, with awkward angles and a phase. */
function handMade(): Circuit {
  const r = rng(7);
  const a = () => (r.next() - 0.5) * 8;
  return {
    qubits: 4,
    globalPhase: 2.345,
    gates: [
      gate('h', [0]), gate('sx', [1]), gate('x', [2]), gate('y', [3]), gate('z', [0]), gate('s', [1]), gate('sdg', [2]),
      gate('t', [3]), gate('tdg', [0]), gate('rx', [1], [a()]), gate('ry', [2], [a()]), gate('rz', [3], [a()]),
      gate('p', [0], [a()]), gate('U', [1], [a(), a(), a()]), gate('cx', [0, 3]), gate('cy', [2, 1]), gate('cz', [3, 0]),
      gate('swap', [1, 3]), gate('sx', [3]), gate('sx', [3]), gate('U', [0], [1e-7, -3e-12, 1e21]), gate('p', [2], [-0]),
      gate('rz', [1], [Math.PI]), gate('swap', [0, 2]), gate('cx', [2, 1]), gate('sx', [0]),
    ],
  };
}

const circuits = (): Array<[string, Circuit]> => {
  const xxz = trotterOf(XXZ5, 0.7, 3);
  const ring = trotterOf(RING, 0.6, 2, 1);
  return [
    ['xxz trotter', xxz],
    ['xxz trotter merged to U', mergeSingleQubitGates(xxz)],
    ['ring trotter', ring],
    ['ring trotter merged to U', mergeSingleQubitGates(ring)],
    ['hand-made, every gate', handMade()],
    ['hand-made merged', mergeSingleQubitGates(handMade())],
  ];
};

const run = (p: QasmProgram): StateVector => simulate({ qubits: p.qubits, gates: p.gates, globalPhase: p.globalPhase });

test('the test circuits really contain U, sx, swap, cz, cy, p and a global phase', () => {
  const names = new Set(circuits().flatMap(([, c]) => c.gates.map((g) => g.name)));
  for (const n of ['U', 'sx', 'swap', 'cz', 'cy', 'p', 'cx', 'rz', 'h', 's', 'sdg']) assert.ok(names.has(n as never), n);
  assert.ok(circuits().every(([, c]) => (c.globalPhase ?? 0) !== 0));
});

test('OpenQASM 3 export reproduces the state exactly, global phase included', () => {
  for (const [name, c] of circuits()) {
    const text = toQasm3(c, HEADER);
    const p = readQasm(text);
    assert.equal(p.version, 3);
    assert.equal(p.qubits, c.qubits);
    assert.equal(p.measured, false);
    assert.equal(p.gates.length, c.gates.length, name);
    const ov = inner(simulate(c), run(p));
    assert.ok(Math.abs(ov.re - 1) < 1e-10 && Math.abs(ov.im) < 1e-10, `${name}: ${JSON.stringify(ov)}`);
  }
});

test('OpenQASM 3 layout: version, include, qubit[n], gphase; measure only when asked', () => {
  const c = handMade();
  const lines = toQasm3(c, HEADER).split('\n');
  const body = lines.filter((l) => !l.startsWith('//'));
  assert.deepEqual(body.slice(0, 4), ['OPENQASM 3.0;', 'include "stdgates.inc";', 'qubit[4] q;', 'gphase(2.345);']);
  assert.ok(!lines.some((l) => l.includes('measure') || l.startsWith('bit')));
  const m = toQasm3(c, HEADER, { measure: true });
  assert.ok(m.endsWith('bit[4] c;\nc = measure q;\n'));
  assert.equal(readQasm(m).measured, true);
  // No phase, no gphase line.
  assert.ok(!toQasm3({ qubits: 1, gates: [gate('h', [0])] }, HEADER).includes('gphase'));
});

test('OpenQASM 2 export: only qelib1.inc gates, equal up to the global phase stated in the header', () => {
  for (const [name, c] of circuits()) {
    const text = toQasm2(c, HEADER);
    const p = readQasm(text);
    assert.equal(p.version, 2);
    assert.equal(p.qubits, c.qubits);
    assert.ok(!/^\s*(U|p|sx|swap|gphase)\b/m.test(text), name);
    const model = simulate(c), file = run(p);
    assert.ok(Math.abs(fidelity(model, file) - 1) < 1e-10, `${name}: ${fidelity(model, file)}`);
    // model = e^{iφ}·file with φ from the header.
    const line = p.comments.find((l) => l.startsWith('global phase: '));
    assert.ok(line, 'header records the phase');
    const phi = Number(line.slice('global phase: '.length));
    const ov = inner(file, model);
    assert.ok(Math.hypot(ov.re - Math.cos(phi), ov.im - Math.sin(phi)) < 1e-10, `${name}: ${JSON.stringify(ov)} vs φ=${phi}`);
    assert.ok(p.comments.some((l) => l.includes('OpenQASM 2 has no global phase')));
  }
});

test('OpenQASM 2 layout and gate mapping: U→u3, p→u1, swap→3 cx, sx→sdg h sdg', () => {
  const c: Circuit = { qubits: 2, gates: [gate('U', [0], [0.1, 0.2, 0.3]), gate('p', [1], [0.5]), gate('swap', [0, 1]), gate('sx', [1])] };
  const body = toQasm2(c, HEADER, { measure: true }).split('\n').filter((l) => l && !l.startsWith('//'));
  assert.deepEqual(body, [
    'OPENQASM 2.0;', 'include "qelib1.inc";', 'qreg q[2];',
    'u3(0.1,0.2,0.3) q[0];', 'u1(0.5) q[1];', 'cx q[0],q[1];', 'cx q[1],q[0];', 'cx q[0],q[1];',
    'sdg q[1];', 'h q[1];', 'sdg q[1];',
    'creg c[2];', 'measure q -> c;',
  ]);
  // sx alone: sdg·h·sdg equals sx up to exactly e^{iπ/4}.
  const sx = simulate({ qubits: 1, gates: [gate('sx', [0])] });
  const seq = simulate({ qubits: 1, gates: [gate('sdg', [0]), gate('h', [0]), gate('sdg', [0])] });
  const ov = inner(seq, sx);
  assert.ok(Math.hypot(ov.re - Math.SQRT1_2, ov.im - Math.SQRT1_2) < 1e-15, JSON.stringify(ov));
});

test('numbers round-trip exactly; QASM 2 reals keep a decimal point; non-finite numbers throw', () => {
  const r = rng(3);
  for (let k = 0; k < 2000; k++) {
    const x = (r.next() - 0.5) * 10 ** Math.floor(r.next() * 40 - 20);
    const s = formatNumber(x);
    assert.equal(Number(s), x);
  }
  assert.equal(formatNumber(1e-7), '1.0e-7');
  assert.equal(formatNumber(1e21), '1.0e+21');
  assert.equal(formatNumber(-0), '0');
  const params = readQasm(toQasm3({ qubits: 1, gates: [gate('U', [0], [1e-7, Math.PI / 3, -1 / 3])] }, HEADER)).gates[0].params;
  assert.deepEqual(params, [1e-7, Math.PI / 3, -1 / 3]);
  for (const bad of [NaN, Infinity, -Infinity]) {
    const c: Circuit = { qubits: 1, gates: [gate('rz', [0], [bad])] };
    assert.throws(() => toQasm3(c, HEADER), /gate 0 \(rz\) parameter 0 is (NaN|-?Infinity)/);
    assert.throws(() => toQasm2(c, HEADER), /finite/);
    assert.throws(() => toQasm3({ qubits: 1, gates: [], globalPhase: bad }, HEADER), /global phase/);
  }
});

test('malformed circuits fail with a clear error instead of an unloadable file', () => {
  assert.throws(() => toQasm3({ qubits: 2, gates: [gate('cx', [0, 2])] }, HEADER), /qubit 2, outside 0\.\.1/);
  assert.throws(() => toQasm3({ qubits: 2, gates: [gate('cx', [1, 1])] }, HEADER), /twice/);
  assert.throws(() => toQasm2({ qubits: 1, gates: [gate('rz', [0], [])] }, HEADER), /expected 1/);
  assert.throws(() => toQasm3({ qubits: 1, gates: [{ name: 'ccx' as never, qubits: [0], params: [] }] }, HEADER), /not a QHam gate/);
  assert.throws(() => toQasm3({ qubits: 0, gates: [] }, HEADER), /at least one qubit/);
});

test('the reader rejects gates outside each version\'s set, and other strays', () => {
  const q3 = (body: string) => `OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\n${body}\n`;
  const q2 = (body: string) => `OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\n${body}\n`;
  assert.equal(readQasm(q3('rz(-pi/2 + 2*0.5) q[0];\ncx q[0], q[1];\ngphase(-(pi));')).gates.length, 2);
  assert.ok(Math.abs(readQasm(q3('rz(-pi/2 + 2*0.5) q[0];')).gates[0].params[0] - (1 - Math.PI / 2)) < 1e-15);
  assert.equal(readQasm(q3('gphase(-(pi));')).globalPhase, -Math.PI);
  assert.throws(() => readQasm(q3('u3(0.1,0.2,0.3) q[0];')), /u3 is not allowed in OpenQASM 3/);
  assert.throws(() => readQasm(q3('crx(0.1) q[0], q[1];')), /not allowed/);
  assert.throws(() => readQasm(q2('U(0.1,0.2,0.3) q[0];')), /U is not allowed in OpenQASM 2/);
  assert.throws(() => readQasm(q2('sx q[0];')), /not allowed/);
  assert.throws(() => readQasm(q2('swap q[0],q[1];')), /not allowed/);
  assert.throws(() => readQasm(q2('p(0.1) q[0];')), /not allowed/);
  assert.throws(() => readQasm(q2('gphase(0.1);')), /not allowed/);
  assert.throws(() => readQasm(q3('x q[2];')), /outside/);
  assert.throws(() => readQasm('OPENQASM 3.0;\ninclude "qelib1.inc";\nqubit[1] q;\n'), /include must be "stdgates.inc"/);
  assert.throws(() => readQasm('include "stdgates.inc";\nOPENQASM 3.0;\n'), /must start with OPENQASM/);
});

test('loads in Qiskit\'s qasm3/qasm2 loaders when Qiskit is installed', (t) => {
  const probe = spawnSync('python3', ['-c', 'import qiskit, qiskit_qasm3_import'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    t.skip('qiskit (with qiskit_qasm3_import) is not installed on this machine; the local reader checked the files instead');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'qham-qiskit-'));
  try {
    const script = 'import sys, json\nfrom qiskit import qasm2, qasm3\nfrom qiskit.quantum_info import Statevector\n'
      + 'text = open(sys.argv[2]).read()\nqc = qasm3.loads(text) if sys.argv[1] == "3" else qasm2.loads(text)\n'
      + 'print(json.dumps([[float(z.real), float(z.imag)] for z in Statevector(qc).data]))\n';
    writeFileSync(join(dir, 'sv.py'), script);
    for (const [name, c] of circuits()) {
      const model = simulate(c);
      for (const v of ['3', '2'] as const) {
        const file = join(dir, `c.qasm${v}`);
        writeFileSync(file, v === '3' ? toQasm3(c, HEADER) : toQasm2(c, HEADER));
        const r = spawnSync('python3', [join(dir, 'sv.py'), v, file], { encoding: 'utf8' });
        assert.equal(r.status, 0, `${name} v${v}: ${r.stderr}`);
        const amps = JSON.parse(r.stdout) as Array<[number, number]>;
        const sv: StateVector = { qubits: c.qubits, re: Float64Array.from(amps, (a) => a[0]), im: Float64Array.from(amps, (a) => a[1]) };
        if (v === '3') {
          const ov = inner(sv, model);
          assert.ok(Math.abs(ov.re - 1) < 1e-9 && Math.abs(ov.im) < 1e-9, `${name} v3: ${JSON.stringify(ov)}`);
        } else {
          assert.ok(Math.abs(fidelity(sv, model) - 1) < 1e-9, `${name} v2`);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
