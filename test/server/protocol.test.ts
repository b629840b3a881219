// Protocol-level tests: an independent LSP client (test/helpers/lsp-client.ts) drives the BUILT
// server, `node dist/server.js --stdio`, over JSON-RPC exactly as an editor would.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type CodeAction, type CompletionItem, type CompletionList, type Diagnostic, DiagnosticSeverity,
  type DocumentSymbol, type Hover, type Location, type MarkupContent, type TextDocumentContentChangeEvent,
  type TextEdit, ResponseError, TextDocumentSyncKind,
} from 'vscode-languageserver-protocol/node';
import { generateLargeFile } from '../../bench/gen-large';
import { LspClient, REPO_ROOT, applyChanges, buildServer, fileUri, positionOf, rangeOf } from '../helpers/lsp-client';

const EXAMPLES = join(REPO_ROOT, 'examples');
const XXZ_PATH = join(EXAMPLES, 'xxz-20.qham');
const XXZ = readFileSync(XXZ_PATH, 'utf8');

const errors = (ds: Diagnostic[]) => ds.filter((d) => d.severity === DiagnosticSeverity.Error);
const hoverText = (h: Hover | null): string => {
  assert.ok(h, 'expected a hover');
  const c = h.contents as MarkupContent;
  assert.equal(c.kind, 'markdown');
  return c.value;
};
const labels = (r: CompletionItem[] | CompletionList | null): string[] => (Array.isArray(r) ? r : r?.items ?? []).map((c) => c.label);
/** An edit that inserts `text` at the `occurrence`-th match of `needle` (+ delta characters). */
const insertAt = (doc: string, needle: string, delta: number, text: string, occurrence = 0): TextDocumentContentChangeEvent => {
  const p = positionOf(doc, needle, occurrence, delta);
  return { range: { start: p, end: p }, text };
};
const deleteAt = (doc: string, needle: string, delta: number, length: number, occurrence = 0): TextDocumentContentChangeEvent => ({
  range: { start: positionOf(doc, needle, occurrence, delta), end: positionOf(doc, needle, occurrence, delta + length) }, text: '',
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(() => buildServer());

describe('LSP over stdio against dist/server.js', () => {
  let client: LspClient;
  let init: Awaited<ReturnType<typeof LspClient.start>>['init'];

  before(async () => {
    ({ client, init } = await LspClient.start());
  });
  // Runs whether the tests passed or not: never leave the child behind.
  after(async () => {
    await client?.dispose();
  });

  it('initialize advertises every feature, with incremental sync', () => {
    const c = init.capabilities;
    assert.deepEqual(c.textDocumentSync, { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } });
    assert.equal(c.hoverProvider, true);
    assert.ok(c.completionProvider, 'completion');
    assert.deepEqual(c.completionProvider.triggerCharacters, ['=', ' ', '[']);
    assert.equal(c.definitionProvider, true);
    assert.equal(c.referencesProvider, true);
    assert.deepEqual(c.renameProvider, { prepareProvider: true });
    assert.equal(c.documentSymbolProvider, true);
    assert.equal(c.foldingRangeProvider, true);
    assert.deepEqual(c.codeActionProvider, { codeActionKinds: ['quickfix'] });
    assert.equal(init.serverInfo?.name, 'qham-language-server');
  });

  it('didOpen of every example publishes diagnostics with no errors', async () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.qham')).sort();
    assert.ok(files.length >= 4, `examples: ${files.join(', ')}`);
    for (const f of files) {
      const uri = fileUri(join(EXAMPLES, f)) + '?open-examples';
      const ds = await client.openAndWait(uri, readFileSync(join(EXAMPLES, f), 'utf8'), 7);
      assert.deepEqual(errors(ds), [], `${f}: ${JSON.stringify(ds)}`);
      assert.deepEqual(ds.filter((d) => d.severity === DiagnosticSeverity.Warning), [], `${f} warnings`);
      for (const d of ds) assert.equal(d.source, 'qham');
      await client.close(uri);
    }
  });

  it('didOpen of a file with an error publishes exactly that diagnostic', async () => {
    const text = [
      'qubits 4',
      'param J = 1',
      'hamiltonian H {',
      '  sum i in 0..n-1 { J * X[i] X[i+1] }',
      '}',
      'state s = zero',
      'evolve s under H for 1 {',
      '  method = trotter',
      '}',
      '',
    ].join('\n');
    const uri = 'file:///virtual/out-of-range.qham';
    const ds = await client.openAndWait(uri, text);
    assert.equal(ds.length, 1, JSON.stringify(ds));
    const [d] = ds;
    assert.equal(d.code, 'QH302');
    assert.equal(d.severity, DiagnosticSeverity.Error);
    assert.equal(d.source, 'qham');
    assert.deepEqual(d.range, { start: { line: 3, character: 29 }, end: { line: 3, character: 35 } });
    assert.deepEqual(d.range, rangeOf(text, 'X[i+1]'));
    const message = d.message as string;
    assert.ok(message.includes('`X[i+1]` with i = 3 is qubit 4'), message);
    assert.ok(message.includes('the register has qubits 0..3'), message);
    assert.equal(d.codeDescription?.href, 'https://example.invalid/qham/docs/diagnostics.md#qh302');
    await client.close(uri);
  });

  describe('didChange (incremental) on xxz-20', () => {
    const uri = fileUri(XXZ_PATH);
    let text = XXZ;
    let version = 1;
    let qh200: Diagnostic | undefined;

    before(async () => {
      const ds = await client.openAndWait(uri, text, version);
      assert.deepEqual(ds, []);
    });

    it('an edit that renames the `J` use to `Jx` publishes QH200 at the exact range', async () => {
      const edit = insertAt(text, 'J * (', 1, 'x');
      text = applyChanges(text, [edit]);
      const since = client.published.length;
      await client.change(uri, ++version, [edit]);
      const p = await client.diagnosticsFor(uri, version, 10_000, since);
      const errs = errors(p.diagnostics);
      assert.equal(errs.length, 1, JSON.stringify(p.diagnostics));
      qh200 = errs[0];
      assert.equal(qh200.code, 'QH200');
      assert.deepEqual(qh200.range, { start: { line: 8, character: 20 }, end: { line: 8, character: 22 } });
      assert.deepEqual(qh200.range, rangeOf(text, 'Jx'));
      assert.equal(qh200.message, 'Unknown name `Jx`; did you mean `J`?');
      // The declaration of J is now unused: a hint, tagged unnecessary.
      const hint = p.diagnostics.find((d) => d.code === 'QH207');
      assert.ok(hint, 'unused-param hint');
      assert.equal(hint.severity, DiagnosticSeverity.Hint);
      assert.deepEqual(hint.range, rangeOf(text, 'J', 0));
      assert.equal(p.diagnostics.length, 2);
    });

    it('codeAction on the QH200 diagnostic offers the quick fix `Jx` → `J`', async () => {
      assert.ok(qh200, 'previous test produced QH200');
      const actions = (await client.codeActions(uri, qh200.range, [qh200])) as CodeAction[];
      assert.equal(actions?.length, 1, JSON.stringify(actions));
      const [a] = actions;
      assert.equal(a.kind, 'quickfix');
      assert.equal(a.isPreferred, true);
      assert.equal(a.title, 'Change to `J`');
      assert.equal(a.diagnostics?.[0]?.code, 'QH200');
      const edits = a.edit?.changes?.[uri];
      assert.deepEqual(edits, [{ range: rangeOf(text, 'Jx'), newText: 'J' }]);
      // Applying the fix restores the original file.
      assert.equal(applyChanges(text, edits!.map((e: TextEdit) => ({ range: e.range, text: e.newText }))), XXZ);
      // A range elsewhere (the `qubits` line) gets no action.
      const none = await client.codeActions(uri, rangeOf(text, 'qubits 20'), []);
      assert.deepEqual(none, []);
    });

    it('an edit that fixes it publishes clean diagnostics', async () => {
      const edit = deleteAt(text, 'Jx', 1, 1);
      text = applyChanges(text, [edit]);
      assert.equal(text, XXZ);
      const since = client.published.length;
      await client.change(uri, ++version, [edit]);
      const p = await client.diagnosticsFor(uri, version, 10_000, since);
      assert.deepEqual(p.diagnostics, []);
    });

    it('back-to-back changes: publications in version order, the last for the final version and matching the final text', async () => {
      const since = client.published.length;
      const first = version + 1;
      const steps: Array<(t: string) => TextDocumentContentChangeEvent[]> = [
        (t) => [insertAt(t, 'J * (', 1, 'x')], // Jx: error
        (t) => [deleteAt(t, 'Jx', 1, 1)], // fixed
        (t) => [insertAt(t, '# Heisenberg', 1, ' edited')], // comment only
        (t) => [insertAt(t, 'Delta * Z', 5, 'Q')], // DeltaQ: error
        (t) => [deleteAt(t, 'DeltaQ', 4, 2), insertAt(t, 'param J = 1.0', 13, '5')], // two changes in one notification: Delt, J = 1.05
      ];
      for (const step of steps) {
        const changes = step(text);
        text = applyChanges(text, changes);
        await client.change(uri, ++version, changes); // no waiting
      }
      const last = await client.diagnosticsFor(uri, version, 10_000, since);
      await sleep(300); // anything late would show up here
      const mine = client.published.slice(since).filter((p) => p.uri === uri);
      const versions = mine.map((p) => p.version!);
      // Never an older version after a newer one (the same version may be republished when a compile ends).
      for (let i = 1; i < versions.length; i++) assert.ok(versions[i] >= versions[i - 1], `versions out of order: ${versions.join(', ')}`);
      assert.ok(versions.every((v) => v >= first && v <= version), `unexpected versions ${versions.join(', ')}`);
      assert.equal(mine[mine.length - 1].version, last.version, `published after the last version: ${versions.join(', ')}`);
      // The final diagnostics are those of the final text: compare with a fresh document holding it.
      assert.ok(text.includes('param J = 1.05') && text.includes('Delt * Z') && text.includes('# edited Heisenberg'), text);
      const errs = errors(last.diagnostics);
      assert.equal(errs.length, 1, JSON.stringify(last.diagnostics));
      assert.equal(errs[0].code, 'QH200');
      assert.deepEqual(errs[0].range, rangeOf(text, 'Delt', 1)); // occurrence 0 is inside `param Delta`
      assert.equal(errs[0].message, 'Unknown name `Delt`; did you mean `Delta`?');
      const fresh = await client.openAndWait('file:///virtual/final-text.qham', text);
      assert.deepEqual(last.diagnostics, fresh);
      await client.close('file:///virtual/final-text.qham');
      // Hover reflects the final text too (J = 1.05).
      assert.equal(hoverText(await client.hover(uri, positionOf(text, 'param J', 0, 6))), '**param** `J` = `1.05`');
    });

    after(async () => {
      await client.close(uri);
    });
  });

  describe('requests on xxz-20', () => {
    const uri = 'file:///virtual/xxz-20.qham';
    const text = XXZ;
    before(async () => {
      assert.deepEqual(await client.openAndWait(uri, text), []);
    });

    it('hover on a param shows its value', async () => {
      const h = await client.hover(uri, positionOf(text, 'param Delta', 0, 8));
      assert.equal(hoverText(h), '**param** `Delta` = `0.5`');
      assert.deepEqual(h!.range, rangeOf(text, 'Delta'));
      // On a use, the same, with the use's range.
      const use = await client.hover(uri, positionOf(text, 'Delta * Z', 0, 1));
      assert.equal(hoverText(use), '**param** `Delta` = `0.5`');
      assert.deepEqual(use!.range, rangeOf(text, 'Delta', 1));
      const arr = hoverText(await client.hover(uri, positionOf(text, 'hz[i]', 0, 1)));
      assert.ok(arr.startsWith('**param** `hz` = array of 20 values `[0.1, -0.3, 0.2, 0,'), arr);
    });

    it('hover on a Pauli atom inside a sum shows its qubits and the loop range', async () => {
      const h = await client.hover(uri, positionOf(text, 'X[i+1]', 0, 0));
      const v = hoverText(h);
      assert.ok(v.includes('qubits 1..19'), v);
      assert.ok(v.includes('i = 0..18'), v);
      assert.equal(v, '`X[i+1]`: qubits 1..19 for i = 0..18');
      assert.deepEqual(h!.range, rangeOf(text, 'X[i+1]'));
      const z = hoverText(await client.hover(uri, positionOf(text, 'Z[i] }', 0, 0)));
      assert.equal(z, '`Z[i]`: qubits 0..19 for i = 0..19');
    });

    it('hover on a Hamiltonian name summarises it (73 terms)', async () => {
      const v = hoverText(await client.hover(uri, positionOf(text, 'hamiltonian H', 0, 12)));
      assert.ok(v.startsWith('**hamiltonian** `H` on 20 qubits'), v);
      assert.ok(v.includes('- 73 terms (16 1-qubit, 57 2-qubit)'), v);
      assert.ok(v.includes('nearest-neighbour chain'), v);
      // The same summary on a use after `under`.
      assert.equal(hoverText(await client.hover(uri, positionOf(text, 'under H', 0, 6))), v);
    });

    it('hover on `evolve` shows the options, explicit and default', async () => {
      const h = await client.hover(uri, positionOf(text, 'evolve psi0', 0, 2));
      const v = hoverText(h);
      assert.ok(v.startsWith('**evolve** `shallow`: psi0 under H for t = 1.5'), v);
      assert.ok(v.includes('| method | aqc | default |'), v);
      assert.ok(v.includes('| layers | auto |  |'), v);
      assert.ok(v.includes('| fidelity | 0.99 |  |'), v);
      assert.ok(v.includes('| bond | 64 | default |'), v);
      assert.ok(v.includes('| maxiter | 500 | default |'), v);
      assert.ok(v.includes('| output | out/xxz-20.qasm |  |'), v);
      assert.match(v, /Status: (not compiled yet|queued|compiling|compiled)/, v);
      assert.deepEqual(h!.range, rangeOf(text, 'evolve'));
      const second = hoverText(await client.hover(uri, positionOf(text, 'evolve psi0', 1, 2)));
      assert.ok(second.includes('| method | trotter |  |') && second.includes('| layers | 12 |  |'), second);
    });

    it('definition of a param use is its declaration', async () => {
      const def = await client.definition(uri, positionOf(text, 'Delta * Z', 0, 2));
      assert.deepEqual(def, { uri, range: rangeOf(text, 'Delta', 0) });
      const ham = await client.definition(uri, positionOf(text, 'under H', 1, 6));
      assert.deepEqual(ham, { uri, range: positionRange(text, 'hamiltonian H', 12, 1) });
    });

    it('references count declaration and uses', async () => {
      const refs = (await client.references(uri, positionOf(text, 'psi0', 1, 1))) as Location[];
      assert.equal(refs.length, 3);
      assert.deepEqual(refs.map((r) => r.range), [rangeOf(text, 'psi0', 0), rangeOf(text, 'psi0', 1), rangeOf(text, 'psi0', 2)]);
      assert.ok(refs.every((r) => r.uri === uri));
      const noDecl = (await client.references(uri, positionOf(text, 'psi0', 0, 1), false)) as Location[];
      assert.equal(noDecl.length, 2);
      const h = (await client.references(uri, positionOf(text, 'hamiltonian H', 0, 12))) as Location[];
      assert.equal(h.length, 3);
    });

    it('prepareRename + rename of a param give every occurrence', async () => {
      const at = positionOf(text, 'Delta * Z', 0, 2);
      assert.deepEqual(await client.prepareRename(uri, at), { range: rangeOf(text, 'Delta', 1), placeholder: 'Delta' });
      const edit = await client.rename(uri, at, 'Anis');
      const edits = edit?.changes?.[uri];
      assert.ok(edits, JSON.stringify(edit));
      assert.deepEqual(edits, [
        { range: rangeOf(text, 'Delta', 0), newText: 'Anis' },
        { range: rangeOf(text, 'Delta', 1), newText: 'Anis' },
      ]);
      const renamed = applyChanges(text, [...edits].reverse().map((e) => ({ range: e.range, text: e.newText })));
      assert.ok(!renamed.includes('Delta') && renamed.includes('param Anis = 0.5') && renamed.includes('Anis * Z[i]'), renamed);
      assert.deepEqual(await client.openAndWait('file:///virtual/renamed.qham', renamed), []);
      await client.close('file:///virtual/renamed.qham');
    });

    it('rename to a keyword or built-in name is an error response', async () => {
      const at = positionOf(text, 'Delta * Z', 0, 2);
      for (const bad of ['sum', 'hamiltonian', 'X', 'pi']) {
        await assert.rejects(client.rename(uri, at, bad), (e: unknown) => {
          assert.ok(e instanceof ResponseError, String(e));
          assert.equal(e.message, `\`${bad}\` is a keyword or built-in name.`);
          return true;
        });
      }
      await assert.rejects(client.rename(uri, at, '2x'), /is not a valid name/);
      await assert.rejects(client.rename(uri, at, 'J'), /already used by the param on line 3/);
      // `n` is built in: no rename offered.
      assert.equal(await client.prepareRename(uri, positionOf(text, 'n-2', 0, 0)), null);
    });

    it('documentSymbol lists every top-level name, with evolve options as children', async () => {
      const syms = (await client.documentSymbols(uri)) as DocumentSymbol[];
      assert.deepEqual(syms.map((s) => s.name), ['qubits 20', 'J', 'Delta', 'hz', 'H', 'psi0', 'shallow', 'baseline']);
      assert.equal(syms.find((s) => s.name === 'H')?.detail, '73 terms');
      assert.deepEqual(syms.find((s) => s.name === 'shallow')?.children?.map((c) => c.name), ['layers', 'fidelity', 'output']);
      assert.deepEqual(syms.find((s) => s.name === 'baseline')?.children?.map((c) => c.name), ['method', 'layers']);
      assert.deepEqual(syms.find((s) => s.name === 'H')?.selectionRange, positionRange(text, 'hamiltonian H', 12, 1));
    });

    it('foldingRange includes the hamiltonian body and the evolve blocks', async () => {
      const folds = await client.foldingRanges(uri);
      const ham = positionOf(text, 'hamiltonian H').line;
      const close = positionOf(text, '}\n\nstate').line;
      assert.ok(folds?.some((f) => f.startLine === ham && f.endLine === close - 1), JSON.stringify(folds));
      assert.deepEqual(folds?.map((f) => [f.startLine, f.endLine]), [[7, 9], [14, 17], [20, 22]]);
    });

    after(async () => {
      await client.close(uri);
    });
  });

  describe('completion in evolve blocks', () => {
    const head = 'qubits 4\nhamiltonian H {\n  sum i in 0..n-2 { X[i] X[i+1] }\n}\nstate s = zero\nevolve s under H for 1 {\n  layers = 2\n';

    it('at the start of a line lists the keys not yet set', async () => {
      const uri = 'file:///virtual/complete-key.qham';
      const text = head + '  \n}\n';
      assert.deepEqual(await client.openAndWait(uri, text), []);
      const got = labels(await client.completion(uri, { line: 7, character: 2 }));
      assert.ok(got.includes('maxiter'), got.join(', '));
      assert.deepEqual(got, ['method', 'order', 'fidelity', 'bond', 'target_steps', 'maxiter', 'seed', 'output']);
      await client.close(uri);
    });

    it('after `method = ` lists aqc and trotter', async () => {
      const uri = 'file:///virtual/complete-value.qham';
      const text = head + '  method = \n}\n';
      await client.openAndWait(uri, text);
      assert.deepEqual(labels(await client.completion(uri, { line: 7, character: 11 })), ['aqc', 'trotter']);
      await client.close(uri);
    });
  });

  it('the generated 5,000-line benchmark file has no errors', async () => {
    const text = generateLargeFile(5000);
    assert.equal(text.split('\n').length - 1, 5000);
    const uri = 'file:///virtual/large-5000.qham';
    const ds = await client.openAndWait(uri, text, 1, 60_000);
    assert.deepEqual(errors(ds), []);
    assert.deepEqual(ds, [], 'not even warnings or hints');
    const syms = (await client.documentSymbols(uri)) as DocumentSymbol[];
    assert.ok(syms.filter((s) => s.kind === 14).length >= 300, 'a few hundred params');
    await client.close(uri);
  });

  it('didClose clears the diagnostics of the document', async () => {
    const uri = 'file:///virtual/closing.qham';
    await client.openAndWait(uri, 'qubits 2\nparam a = b\n');
    const since = client.published.length;
    await client.close(uri);
    const p = await client.waitFor(uri, () => true, 5_000, since);
    assert.deepEqual(p.diagnostics, []);
  });
});

describe('lifecycle', () => {
  it('shutdown + exit: the server exits with code 0', async () => {
    const { client } = await LspClient.start();
    try {
      await client.openAndWait('file:///virtual/a.qham', XXZ);
      const code = await client.shutdown();
      assert.equal(code, 0);
      assert.equal(client.exitSignal, null);
      assert.equal(client.child.exitCode, 0);
    } finally {
      await client.dispose();
    }
  });

  it('exit without shutdown exits with code 1 (per the protocol)', async () => {
    const { client } = await LspClient.start();
    try {
      await client.connection.sendNotification('exit');
      const code = await Promise.race([client.exited, sleep(5_000).then(() => 'timeout' as const)]);
      assert.equal(code, 1);
    } finally {
      await client.dispose();
    }
  });
});

/** The range of `length` characters at `delta` past the first match of `needle`. */
function positionRange(text: string, needle: string, delta: number, length: number) {
  return { start: positionOf(text, needle, 0, delta), end: positionOf(text, needle, 0, delta + length) };
}
