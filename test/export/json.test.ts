// The qham-result JSON: versioned shape, exact numbers, one gate per line, loud failures on NaN.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gate } from '../../server/src/engine/circuit/gates';
import { mergeSingleQubitGates } from '../../server/src/engine/circuit/merge';
import { circuitStats } from '../../server/src/engine/circuit/stats';
import { trotterCircuit } from '../../server/src/engine/trotter/circuits';
import { isQhamFile } from '../../server/src/export/header';
import { circuitJson, toResultJson } from '../../server/src/export/json';
import { type BlockResult, RESULT_FORMAT, RESULT_VERSION, type ResultDocument } from '../../server/src/export/result-types';
import { analyze } from '../../server/src/lang/analyze';

const SRC = 'qubits 4\nhamiltonian H { sum i in 0..n-2 { X[i] X[i+1] + Y[i] Y[i+1] + Z[i] Z[i+1] } }\nstate s = neel\nevolve s under H for 1 as b {\n  method = trotter\n  layers = 2\n}\n';

function doc(): ResultDocument {
  const a = analyze(SRC);
  const block = a.program.evolves[0];
  const c = mergeSingleQubitGates(trotterCircuit(block.hamiltonian.sum, block.state, block.time, { steps: 2, order: 2 }));
  const st = circuitStats(c);
  const trotter: BlockResult = {
    name: block.name, method: block.options.method, settings: { ...block.options },
    result: { depth: st.depth, twoQubitDepth: st.twoQubitDepth, cxCount: st.cxCount, seconds: 0.01, fidelity: 0.97 },
    circuit: circuitJson(c),
  };
  const aqc: BlockResult = {
    name: 'shallow "quoted"\n<b>', method: 'aqc', settings: { layers: 3, bond: 64, fidelity: 0.99, maxiter: 500 },
    result: {
      fidelity: 0.9934, targetError: 1e-7, depth: 31, twoQubitDepth: 21, cxCount: 171, parameters: 597, iterations: 3, seconds: 3.1,
      trace: [0.95, 0.98, 0.9934], trotter: { sameDepthFidelity: 0.97, stepsForSameFidelity: 9, twoQubitDepth: 57, depthRatio: 2.7 },
    },
    circuit: circuitJson({ qubits: 2, gates: [gate('U', [0], [0.1, -0.2, 1 / 3]), gate('cx', [0, 1])], globalPhase: -0.25 }),
  };
  return { format: RESULT_FORMAT, version: RESULT_VERSION, source: 'examples/x.qham', blocks: [trotter, aqc] };
}

test('the JSON parses back to the same document, with every required field and version 1', () => {
  const d = doc();
  const text = toResultJson(d);
  const back = JSON.parse(text) as ResultDocument;
  assert.deepEqual(back, JSON.parse(JSON.stringify(d)));
  assert.equal(back.format, 'qham-result');
  assert.equal(back.version, 1);
  assert.equal(back.source, 'examples/x.qham');
  for (const b of back.blocks) {
    for (const k of ['name', 'method', 'settings', 'result', 'circuit']) assert.ok(k in b, k);
    for (const k of ['depth', 'twoQubitDepth', 'cxCount', 'seconds']) assert.equal(typeof (b.result as unknown as Record<string, unknown>)[k], 'number', k);
    assert.equal(typeof b.circuit.qubits, 'number');
    assert.equal(typeof b.circuit.globalPhase, 'number');
    for (const g of b.circuit.gates) assert.deepEqual(Object.keys(g), ['name', 'qubits', 'params']);
  }
  // Trotter blocks leave out the AQC-only fields rather than writing nulls.
  assert.ok(!('trace' in back.blocks[0].result) && !('parameters' in back.blocks[0].result));
  assert.deepEqual(back.blocks[1].result.trotter, { sameDepthFidelity: 0.97, stepsForSameFidelity: 9, twoQubitDepth: 57, depthRatio: 2.7 });
  assert.equal(back.blocks[1].circuit.gates[0].params[2], 1 / 3, 'numbers are exact');
  assert.equal(back.blocks[0].settings.method, 'trotter');
  assert.ok(isQhamFile(text));
});

test('one gate per line, so big circuits diff and grep well', () => {
  const d = doc();
  const text = toResultJson(d);
  const gateLines = text.split('\n').filter((l) => /^\s*\{ "name": "[A-Za-z]+", "qubits": \[/.test(l));
  assert.equal(gateLines.length, d.blocks.reduce((n, b) => n + b.circuit.gates.length, 0));
  assert.ok(text.endsWith('\n'));
});

test('non-finite numbers and malformed circuits throw with the field named', () => {
  const d = doc();
  d.blocks[1].result.fidelity = NaN;
  assert.throws(() => toResultJson(d), /document\.blocks\[1\]\.result\.fidelity is NaN/);
  const e = doc();
  e.blocks[0].circuit.gates[0].params[0] = Infinity;
  assert.throws(() => toResultJson(e), /block "b": .*parameter 0 is Infinity/);
  const f = doc();
  f.blocks[1].settings.bad = 10n;
  assert.throws(() => toResultJson(f), /settings\.bad is a bigint/);
  const g = doc();
  const loop: Record<string, unknown> = {};
  loop.self = loop;
  g.blocks[1].settings.loop = loop;
  assert.throws(() => toResultJson(g), /refers back to itself/);
});
