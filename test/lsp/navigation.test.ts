import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ResponseError } from 'vscode-languageserver';
import { definition, prepareRename, references, rename } from '../../server/src/lsp/navigation';
import { open } from '../helpers/markers';

const SRC = 'qubits 4\nparam «J» = 1\nhamiltonian H {\n  sum i in 0..n-2 { «J» * Z[i] Z[i+1] }\n  «J<|>» * X[0]\n}\nstate s = zero\nevolve s under H for 1\n';

test('go to definition of a param use lands on its declaration', () => {
  const { doc, a, at, fx } = open(SRC);
  const loc = definition(doc, a, at)!;
  assert.deepEqual(loc.range, { start: doc.positionAt(fx.ranges[0].start), end: doc.positionAt(fx.ranges[0].end) });
});

test('references list the declaration and every use', () => {
  const { doc, a, at, fx } = open(SRC);
  const refs = references(doc, a, at, true).map((l) => doc.offsetAt(l.range.start)).sort((x, y) => x - y);
  assert.deepEqual(refs, fx.ranges.map((r) => r.start));
  assert.equal(references(doc, a, at, false).length, 2);
});

test('rename changes every occurrence; keywords and clashes are refused', () => {
  const { doc, a, at, fx } = open(SRC);
  assert.equal(prepareRename(doc, a, at)?.placeholder, 'J');
  const edit = rename(doc, a, at, 'coupling') as { changes: Record<string, { range: { start: unknown }; newText: string }[]> };
  const edits = edit.changes[doc.uri];
  assert.equal(edits.length, 3);
  assert.ok(edits.every((e) => e.newText === 'coupling'));
  assert.deepEqual(edits.map((e) => doc.offsetAt(e.range.start as never)).sort((x, y) => x - y), fx.ranges.map((r) => r.start));
  assert.ok(rename(doc, a, at, 'sum') instanceof ResponseError);
  assert.ok(rename(doc, a, at, 'H') instanceof ResponseError);
  assert.ok(rename(doc, a, at, '2x') instanceof ResponseError);
});

test('loop variables rename within their sum only', () => {
  const { doc, a, at } = open('qubits 4\nhamiltonian H {\n  sum i<|> in 0..2 { Z[i] Z[i+1] }\n  sum i in 0..3 { X[i] }\n}\n');
  const edit = rename(doc, a, at, 'k') as { changes: Record<string, unknown[]> };
  assert.equal(edit.changes[doc.uri].length, 3);
});

test('n cannot be renamed', () => {
  const { doc, a, at } = open('qubits 4\nhamiltonian H { sum i in 0..n<|>-1 { Z[i] } }\n');
  assert.equal(prepareRename(doc, a, at), null);
  assert.equal(definition(doc, a, at)?.range.start.line, 0);
});
