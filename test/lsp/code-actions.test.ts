import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../server/src/lang/analyze';
import { codeActions } from '../../server/src/lsp/code-actions';
import { open } from '../helpers/markers';

function applyFirst(src: string): { title: string; text: string } {
  const { doc, a, fx } = open(src);
  const r = fx.ranges[0];
  const actions = codeActions(doc, a, { start: doc.positionAt(r.start), end: doc.positionAt(r.end) });
  assert.ok(actions.length >= 1, 'a quick fix is offered');
  const edits = actions[0].edit!.changes![doc.uri];
  return { title: actions[0].title, text: TextDocument.applyEdits(doc, edits) };
}

test('did-you-mean on an undefined name', () => {
  const r = applyFirst('qubits 4\nparam Delta = 1\nhamiltonian H { «Detla» * Z[0] Z[1] }\n');
  assert.equal(r.title, 'Change to `Delta`');
  assert.equal(analyze(r.text).diagnostics.filter((d) => d.severity === 'error').length, 0);
});

test('did-you-mean on an evolve key and on a misspelt statement', () => {
  const base = 'qubits 4\nhamiltonian H { Z[0] Z[1] }\nstate s = zero\n';
  assert.match(applyFirst(`${base}evolve s under H for 1 {\n  «fidelty» = 0.9\n}\n`).text, /fidelity = 0\.9/);
  assert.match(applyFirst(`«qubit» 4\n`).text, /^qubits 4/);
});

test('method = trotter for a non-nearest-neighbour Hamiltonian, in a block without braces', () => {
  const r = applyFirst('qubits 4\nhamiltonian H { X[0] X[3] }\nstate s = zero\n«evolve s under H for 1»\n');
  assert.equal(r.title, 'Use `method = trotter`');
  assert.match(r.text, /evolve s under H for 1 \{\n  method = trotter\n\}/);
  assert.equal(analyze(r.text).diagnostics.filter((d) => d.severity === 'error').length, 0);
});

test('no action where no diagnostic has a fix', () => {
  const { doc, a } = open('qubits 4\nhamiltonian H { Z[0] }\n');
  assert.deepEqual(codeActions(doc, a, { start: doc.positionAt(0), end: doc.positionAt(10) }), []);
});
