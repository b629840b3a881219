import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addInto, multiply, mulStrings, single } from '../../server/src/lang/pauli-builder';
import type { PauliFactor } from '../../server/src/model/pauli';
import { analyze } from '../../server/src/lang/analyze';
import { formatTerm } from '../../server/src/model/pauli';

const f = (qubit: number, pauli: 'X' | 'Y' | 'Z'): PauliFactor => ({ qubit, pauli });

// Reference: 2×2 matrices multiplied numerically.
type C = [number, number];
const M: Record<string, C[][]> = {
  I: [[[1, 0], [0, 0]], [[0, 0], [1, 0]]],
  X: [[[0, 0], [1, 0]], [[1, 0], [0, 0]]],
  Y: [[[0, 0], [0, -1]], [[0, 1], [0, 0]]],
  Z: [[[1, 0], [0, 0]], [[0, 0], [-1, 0]]],
};
const cmul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
function matmul(a: C[][], b: C[][]): C[][] {
  return [0, 1].map((i) => [0, 1].map((j) => {
    const x = cmul(a[i][0], b[0][j]);
    const y = cmul(a[i][1], b[1][j]);
    return [x[0] + y[0], x[1] + y[1]] as C;
  }));
}

test('single-qubit Pauli products match matrix multiplication, phases included', () => {
  const iPowToC: C[] = [[1, 0], [0, 1], [-1, 0], [0, -1]];
  for (const p of ['X', 'Y', 'Z'] as const) {
    for (const q of ['X', 'Y', 'Z'] as const) {
      const { factors, iPow } = mulStrings([f(0, p)], [f(0, q)]);
      const letter = factors.length ? factors[0].pauli : 'I';
      const phase = iPowToC[iPow];
      const expected = matmul(M[p], M[q]);
      const got = M[letter].map((row) => row.map((c) => cmul(phase, c)));
      assert.deepEqual(got.flat().map((c) => c.map((x) => x + 0)), expected.flat().map((c) => c.map((x) => x + 0)), `${p}·${q}`);
    }
  }
});

test('strings on different qubits concatenate in qubit order without phase', () => {
  const r = mulStrings([f(0, 'X'), f(3, 'Z')], [f(1, 'Y'), f(3, 'Z')]);
  assert.deepEqual(r.factors, [f(0, 'X'), f(1, 'Y')]);
  assert.equal(r.iPow, 0);
});

test('like terms combine and commutators cancel', () => {
  // XY - YX = 2iZ on one qubit; XY + YX = 0.
  const xy = multiply(single(0, 'X'), single(0, 'Y'));
  const yx = multiply(single(0, 'Y'), single(0, 'X'));
  // addInto mutates its accumulator's terms, so accumulate into fresh maps.
  const anti = new Map();
  addInto(anti, xy);
  addInto(anti, yx);
  const t = [...anti.values()][0];
  assert.equal(t.re, 0);
  assert.equal(t.im, 0);
  const comm = new Map();
  addInto(comm, xy);
  addInto(comm, yx, -1);
  const c = [...comm.values()][0];
  assert.equal(c.factors[0].pauli, 'Z');
  assert.equal(c.im, 2);
});

test('the language applies exact Pauli algebra: X[0] X[0] = I and symmetric products stay real', () => {
  const a = analyze('qubits 2\nhamiltonian H {\n  X[0] X[0]\n  0.5 * (X[0] Y[1] + Y[1] X[0])\n  Z[0] Z[1] - Z[1] Z[0]\n}\n');
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error'), []);
  const terms = a.program.hamiltonians.get('H')!.sum.terms.map(formatTerm);
  assert.deepEqual(terms, ['1 * I', '1 * X[0] Y[1]']);
});

test('a product with an imaginary coefficient is a non-Hermitian error naming the term', () => {
  // Z X Y = (iY) Y = i·I on qubit 0.
  const a = analyze('qubits 2\nhamiltonian H {\n  Z[0] X[0] Y[0]\n}\n');
  const errs = a.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errs.length, 1);
  assert.equal(errs[0].code, 'QH400');
  assert.match(errs[0].message, /1i \* I/);
  assert.equal(a.text.slice(errs[0].span.start, errs[0].span.end), 'Z[0] X[0] Y[0]');
});

test('the anticommutator {X, Y} vanishes, leaving an empty Hamiltonian (warning)', () => {
  const a = analyze('qubits 1\nhamiltonian H {\n  X[0] Y[0] + Y[0] X[0]\n}\n');
  assert.equal(a.diagnostics.filter((d) => d.severity === 'error').length, 0);
  assert.equal(a.program.hamiltonians.get('H')!.sum.terms.length, 0);
  assert.ok(a.diagnostics.some((d) => d.code === 'QH401'), 'empty Hamiltonian warning');
});
