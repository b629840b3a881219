import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hover } from '../../server/src/lsp/hover';
import { hoverText, open } from '../helpers/markers';

const XXZ = `qubits 20
param J = 1.0
param Delta = 0.5
param hz = [0.1, -0.3, 0.2, 0.0, 0.1, -0.1, 0.3, -0.2, 0.0, 0.1,
            0.2, -0.1, 0.0, 0.3, -0.3, 0.1, 0.0, -0.2, 0.2, 0.1]
hamiltonian H {
  sum i in 0..n-2 { J * (X[i] X[i+1] + Y[i] Y[i+1] + Delta * Z[i] Z[i+1]) }
  sum i in 0..n-1 { hz[i] * Z[i] }
}
state psi0 = neel
evolve psi0 under H for 1.5 as shallow {
  layers = 3
  fidelity = 0.99
}
`;

function hoverAt(marked: string): string {
  const { doc, a, at } = open(marked);
  return hoverText(hover(doc, a, at));
}

const mark = (needle: string, offsetInNeedle = 0, nth = 0) => {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = XXZ.indexOf(needle, i + 1);
  assert.ok(i >= 0, needle);
  return XXZ.slice(0, i + offsetInNeedle) + '<|>' + XXZ.slice(i + offsetInNeedle);
};

test('hover on a param use shows its value', () => {
  assert.match(hoverAt(mark('Delta * Z', 1)), /\*\*param\*\* `Delta` = `0\.5`/);
});

test('hover on an array param shows its size and values', () => {
  assert.match(hoverAt(mark('hz[i]', 0)), /array of 20 values `\[0\.1, -0\.3/);
});

test('hover on a Pauli atom inside a sum shows the qubits it touches for the loop range', () => {
  assert.equal(hoverAt(mark('X[i+1]', 0)), '`X[i+1]`: qubits 1..19 for i = 0..18');
  assert.equal(hoverAt(mark('Z[i]', 0, 1)), '`Z[i]`: qubits 0..19 for i = 0..19');
});

test('hover on a loop variable shows its range; on n the register size', () => {
  assert.match(hoverAt(mark('i+1]', 0)), /loop variable\*\* `i` = 0\.\.18/);
  assert.match(hoverAt(mark('n-2', 0)), /`n` = 20/);
});

test('hover on `sum` shows its term count', () => {
  assert.match(hoverAt(mark('sum i in 0..n-2', 1)), /\*\*sum\*\* over i = 0\.\.18: 57 terms/);
  // 20 fields, four of them 0.0 and dropped.
  assert.match(hoverAt(mark('sum i in 0..n-1', 1)), /: 16 terms/);
});

test('hover on a Hamiltonian name shows terms, locality, nearest-neighbour and 1-norm', () => {
  const h = hoverAt(mark('H for', 0));
  assert.match(h, /73 terms \(16 1-qubit, 57 2-qubit\)/);
  assert.match(h, /2-local, nearest-neighbour chain/);
  // 1-norm: 19·(1 + 1 + 0.5) + Σ|hz| = 47.5 + 2.9
  assert.match(h, /1-norm Σ\|c\| = 50\.4/);
});

test('hover on a state shows its bitstring', () => {
  assert.match(hoverAt(mark('psi0 =', 0)), /`\|01010101010101010101⟩`/);
});

test('hover on evolve shows the options with defaults filled in', () => {
  const h = hoverAt(mark('evolve', 1));
  assert.match(h, /\| layers \| 3 \| +\|/);
  assert.match(h, /\| method \| aqc \| default \|/);
  assert.match(h, /\| bond \| 64 \| default \|/);
  assert.match(h, /for t = 1\.5/);
});

test('hover on an evolve key documents it', () => {
  assert.match(hoverAt(mark('fidelity = 0.99', 2)), /\*\*fidelity\*\* \(default `0\.99`\)/);
});

test('no hover on whitespace or comments', () => {
  const { doc, a } = open('qubits 2\n# a comment\n');
  assert.equal(hover(doc, a, 12), null);
});
