import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { documentSymbols, foldingRanges } from '../../server/src/lsp/outline';
import { open } from '../helpers/markers';

test('document symbols: register, params, Hamiltonians, states and evolve blocks with their options', () => {
  const { doc, a } = open(readFileSync('examples/xxz-20.qham', 'utf8'));
  const syms = documentSymbols(doc, a);
  assert.deepEqual(syms.map((s) => s.name), ['qubits 20', 'J', 'Delta', 'hz', 'H', 'psi0', 'shallow', 'baseline']);
  assert.equal(syms.find((s) => s.name === 'H')?.detail, '73 terms');
  assert.deepEqual(syms.find((s) => s.name === 'shallow')?.children?.map((c) => c.name), ['layers', 'fidelity', 'output']);
});

test('folding ranges: Hamiltonian and evolve bodies, multi-line arrays, comment runs', () => {
  const { doc, a } = open('# one\n# two\nqubits 4\nparam h = [1,\n  2,\n  3]\nhamiltonian H {\n  Z[0]\n  Z[1]\n}\nstate s = zero\nevolve s under H for 1 {\n  layers = 1\n  order = 1\n}\n');
  const r = foldingRanges(doc, a).map((f) => [f.startLine, f.endLine, f.kind ?? '']);
  assert.deepEqual(r.sort(), [[0, 1, 'comment'], [11, 13, ''], [3, 4, ''], [6, 8, '']].sort());
});
