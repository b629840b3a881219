// Our OpenQASM 3 output read by an independent, published OpenQASM 3 parser (qasm-ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseString } from 'qasm-ts';
import { analyze } from '../../server/src/lang/analyze';
import { mergeSingleQubitGates } from '../../server/src/engine/circuit/merge';
import { trotterCircuit } from '../../server/src/engine/trotter/circuits';
import { toQasm3 } from '../../server/src/export/qasm3';

function gateCalls(ast: unknown[]): Array<{ name: string; qubits: number }> {
  return ast.flatMap((n) => {
    const node = n as { quantumGateName?: { name: string }; qubits?: unknown[] };
    return node.quantumGateName ? [{ name: node.quantumGateName.name, qubits: node.qubits?.length ?? 0 }] : [];
  });
}

test('qasm-ts parses the OpenQASM 3 of every example block, gate for gate', () => {
  for (const f of ['ring-trotter', 'xxz-20', 'tfim-50', 'heisenberg-100']) {
    const a = analyze(readFileSync(`examples/${f}.qham`, 'utf8'));
    for (const b of a.program.evolves) {
      // The Trotter circuit of each block (aqc blocks start from it), merged into U gates as exported.
      const c = mergeSingleQubitGates(trotterCircuit(b.hamiltonian.sum, b.state, b.time, { steps: 2, order: 2 }));
      const text = toQasm3(c, { source: `examples/${f}.qham`, block: b.name, method: b.options.method, settings: { ...b.options } });
      const ast = parseString(text, 3) as unknown[];
      const calls = gateCalls(ast);
      const ours = c.gates.length + (c.globalPhase ? 1 : 0);
      assert.equal(calls.length, ours, `${f}:${b.name}: qasm-ts sees ${calls.length} gate calls, we wrote ${ours}`);
      for (const [i, g] of c.gates.entries()) {
        const call = calls[i + (c.globalPhase ? 1 : 0)];
        assert.equal(call.name, g.name, `${f}:${b.name} gate ${i}`);
        assert.equal(call.qubits, g.qubits.length);
      }
    }
  }
});

test('qasm-ts rejects what is not OpenQASM 3 (the check can fail)', () => {
  assert.throws(() => parseString('OPENQASM 3.0;\nqubit[2] q;\ncx q[0] q[1] q[2] (;\n', 3));
});
