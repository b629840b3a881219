// The evaluation cache must be invisible: after any edit, a cached analysis equals a fresh one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { type Analysis, analyze } from '../../server/src/lang/analyze';
import { walkExpr } from '../../server/src/lang/ast';
import { EvalCache } from '../../server/src/lang/eval-cache';

/** Everything observable about an analysis, as plain data. */
function observe(a: Analysis) {
  const atoms: string[] = [];
  const sums: string[] = [];
  for (const s of a.ast.statements) {
    if (s.kind !== 'hamiltonian') continue;
    for (const l of s.lines) walkExpr(l, (e) => {
      if (e.kind === 'pauli') atoms.push(`${e.span.start}:${[...(a.info.atoms.get(e) ?? [])].join(',')}`);
      if (e.kind === 'sum') sums.push(`${e.span.start}:${JSON.stringify(a.info.sums.get(e))}`);
    });
  }
  return {
    diagnostics: a.diagnostics,
    // `content` is a memo handle (present only with a cache), not part of the value.
    hamiltonians: [...a.program.hamiltonians.values()].map(({ content: _content, ...h }) => ({ ...h, sum: { ...h.sum, terms: h.sum.terms.map((t) => ({ ...t })) } })),
    params: [...a.program.params],
    evolves: a.program.evolves.map((e) => ({ name: e.name, span: e.span, terms: e.hamiltonian.sum.terms.length })),
    atoms,
    sums,
  };
}

const edits: Array<(s: string) => string> = [
  (s) => s.replace('# Heisenberg', '# A Heisenberg'),                  // comment above everything: all spans shift
  (s) => s.replace('param J = 1.0', 'param J = 1.5'),                  // a dependency changes
  (s) => s.replace('Delta * Z[i] Z[i+1]', 'Delta * Z[i] Z[i+2]'),      // an error inside a cached Hamiltonian
  (s) => s.replace('Z[i+2]', 'Z[i+1]'),                                // fixed again
  (s) => s.replace('hamiltonian H {', 'hamiltonian H {\n  X[0] Y[0]'), // non-Hermitian line
  (s) => s.replace('  X[0] Y[0]\n', ''),
  (s) => s + '\nhamiltonian H2 {\n  H + 0.5 * X[3]\n  sum k in 5..2 { Z[k] }\n}\n', // uses H; empty range
  (s) => s.replace('param J = 1.5', 'param J = 2'),                    // H and H2 must both update
  (s) => s.replace('param Delta = 0.5', 'param Delta = [1]'),          // type error in the dependency
];

test('cached analyses equal fresh ones through a sequence of edits', () => {
  let text = readFileSync('examples/xxz-20.qham', 'utf8');
  const cache = new EvalCache();
  assert.deepEqual(observe(analyze(text, { cache })), observe(analyze(text)));
  for (const [i, edit] of edits.entries()) {
    const next = edit(text);
    assert.notEqual(next, text, `edit ${i} applies`);
    text = next;
    assert.deepEqual(observe(analyze(text, { cache })), observe(analyze(text)), `after edit ${i}`);
  }
  assert.ok(cache.hits > 0, 'the cache was used');
});

test('an edit outside a Hamiltonian reuses it; the cache holds only live entries', () => {
  const cache = new EvalCache();
  const text = readFileSync('examples/xxz-20.qham', 'utf8');
  analyze(text, { cache });
  const misses = cache.misses;
  analyze(text.replace('fidelity = 0.99', 'fidelity = 0.98'), { cache });
  assert.equal(cache.misses, misses, 'no Hamiltonian re-evaluated');
  analyze(text.replace('param J = 1.0', 'param J = 1.1'), { cache });
  assert.equal(cache.misses, misses + 1);
  assert.equal(cache.size, 1);
});
