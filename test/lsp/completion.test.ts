import assert from 'node:assert/strict';
import { test } from 'node:test';
import { complete } from '../../server/src/lsp/completion';
import { open } from '../helpers/markers';

const labels = (src: string) => {
  const { a, at } = open(src);
  return complete(a, at).map((c) => c.label);
};

const HEAD = 'qubits 4\nparam J = 1\nhamiltonian H { J * Z[0] Z[1] }\nstate s = zero\n';

test('statement keywords at the start of a top-level line', () => {
  const l = labels(`${HEAD}<|>`);
  assert.deepEqual(l.sort(), ['evolve', 'hamiltonian', 'param', 'qubits', 'state']);
});

test('evolve keys at the start of a line in an evolve block, minus those already set', () => {
  const l = labels(`${HEAD}evolve s under H for 1 {\n  layers = 2\n  <|>\n}\n`);
  assert.ok(l.includes('maxiter') && l.includes('method') && l.includes('fidelity'));
  assert.ok(!l.includes('layers'));
});

test('values of an evolve key', () => {
  assert.deepEqual(labels(`${HEAD}evolve s under H for 1 {\n  method = <|>\n}\n`), ['aqc', 'trotter']);
  assert.deepEqual(labels(`${HEAD}evolve s under H for 1 {\n  layers = <|>\n}\n`), ['auto']);
});

test('states after `evolve`, Hamiltonians after `under`, state words after `state x =`', () => {
  assert.deepEqual(labels(`${HEAD}evolve <|>`), ['s']);
  assert.deepEqual(labels(`${HEAD}evolve s under <|>`), ['H']);
  assert.deepEqual(labels('qubits 2\nstate t = <|>').sort(), ['bits', 'neel', 'plus', 'zero']);
});

test('names in scope inside expressions: params defined above, loop variables, n, functions, Paulis', () => {
  const l = labels('qubits 4\nparam J = 1\nhamiltonian H {\n  sum k in 0..2 { J * Z[<|>] }\n}\nparam later = 2\n');
  for (const x of ['J', 'k', 'n', 'pi', 'sqrt', 'X[]', 'sum']) assert.ok(l.includes(x), x);
  assert.ok(!l.includes('later'), 'a param defined below is not in scope');
});

test('no completion inside a comment', () => {
  assert.deepEqual(labels('qubits 2\n# comm<|>'), []);
});
