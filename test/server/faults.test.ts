// Resource faults of background compilation, through the BUILT server (`node dist/server.js --stdio`)
// and the independent test client: a worker that runs out of memory (QHAM_WORKER_FAULT=oom with a
// small heap from QHAM_WORKER_HEAP_MB) fails its block with QH701 and is replaced, and a block whose
// estimated memory exceeds qham.maxCompileMemoryMB is refused before any work (QH703).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DidChangeConfigurationNotification, type Diagnostic, DiagnosticSeverity, type Hover, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { compileMemory, compileTooLargeMessage } from '../../server/src/engine/compile/memory';
import { analyze } from '../../server/src/lang/analyze';
import type { BlockStatus } from '../../server/src/protocol';
import { type LspClient, buildServer, positionOf } from '../helpers/lsp-client';
import { withServer } from '../helpers/server-workspace';

const COMPILE_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An XXZ chain with one evolve block `b` and the given options. */
function program(qubits: number, options: string[]): string {
  return [
    '# XXZ chain for the fault tests',
    `qubits ${qubits}`,
    'param J = 1.0',
    '',
    'hamiltonian H {',
    '  sum i in 0..n-2 { J * (X[i] X[i+1] + Y[i] Y[i+1] + 0.5 * Z[i] Z[i+1]) }',
    '}',
    '',
    'state psi0 = neel',
    '',
    'evolve psi0 under H for 0.5 as b {',
    ...options.map((o) => `  ${o}`),
    '}',
    '',
  ].join('\n');
}

/** 8 qubits, one layer: compiles in a fraction of a second. */
const SMALL = program(8, ['layers = 1', 'maxiter = 30', 'fidelity = 0.9']);

const isFinal = (b: BlockStatus) => b.state === 'done' || b.state === 'failed' || b.state === 'cancelled';
const byCode = (ds: Diagnostic[], code: string) => ds.filter((d) => d.code === code);
const hoverText = (h: Hover | null): string => {
  assert.ok(h, 'expected a hover');
  return (h.contents as MarkupContent).value;
};

async function compileToEnd(client: LspClient, uri: string): Promise<BlockStatus> {
  const since = client.statuses.length;
  assert.deepEqual(await client.compile(uri, 'b'), { queued: ['b'] });
  return client.waitForBlock(uri, 'b', isFinal, COMPILE_MS, since);
}

before(() => buildServer());

describe('resource faults of background compilation (dist/server.js)', () => {
  it('oom: a worker that runs out of memory → QH701 "ran out of memory"; the server answers; a fresh worker takes the next compile', async () => {
    await withServer({}, async ({ client, file }) => {
      const uri = file('oom.qham', SMALL);
      const opened = await client.openAndWait(uri, SMALL);
      assert.deepEqual(opened.filter((d) => d.severity === DiagnosticSeverity.Error), []);
      const published = client.published.length;
      const failed = await compileToEnd(client, uri);
      assert.equal(failed.state, 'failed', JSON.stringify(failed));
      assert.match(failed.error ?? '', /ran out of memory/);
      assert.match(failed.error ?? '', /64 MB/, 'names the heap limit');

      const p = await client.waitFor(uri, (x) => byCode(x.diagnostics, 'QH701').length > 0, 10_000, published);
      const [d] = byCode(p.diagnostics, 'QH701');
      assert.equal(d.severity, DiagnosticSeverity.Error);
      assert.equal(d.range.start.line, positionOf(SMALL, 'evolve').line);
      assert.match(d.message, /^Compilation failed: the compile worker ran out of memory/);
      assert.equal(byCode(p.diagnostics, 'QH703').length, 0);

      // Alive: hover answers, the dead worker is gone.
      assert.equal(hoverText(await client.hover(uri, positionOf(SMALL, 'param J', 0, 6))), '**param** `J` = `1`');
      const dead = await client.stats();
      assert.deepEqual({ started: dead.workersStarted, live: dead.workersLive, busy: dead.busy, queued: dead.queued }, { started: 1, live: 0, busy: 0, queued: 0 });

      // A second compile request gets a fresh worker (which runs out of memory again: the fault is in its environment).
      const again = await compileToEnd(client, uri);
      assert.equal(again.state, 'failed');
      assert.match(again.error ?? '', /ran out of memory/);
      const after = await client.stats();
      assert.equal(after.workersStarted, 2, 'a fresh worker was started');
      assert.equal(after.jobsSubmitted, 2);
      assert.deepEqual({ live: after.workersLive, busy: after.busy, queued: after.queued }, { live: 0, busy: 0, queued: 0 });
      assert.equal(hoverText(await client.hover(uri, positionOf(SMALL, 'param J', 0, 6))), '**param** `J` = `1`');
      assert.equal(client.exitCode, null, 'the server process is alive');
      assert.equal(await client.shutdown(), 0);
    }, { env: { QHAM_WORKER_FAULT: 'oom', QHAM_WORKER_HEAP_MB: '64' } });
  });

  it('too large: a block whose estimate exceeds qham.maxCompileMemoryMB is refused before any work (QH703 with the numbers); no worker starts', async () => {
    // 100 qubits, bond 256, layers = auto: about 9.2 GB, over the default 4096 MB.
    const text = program(100, ['bond = 256']);
    const [block] = analyze(text).program.evolves;
    const expected = compileTooLargeMessage(compileMemory(block), 4096, 'qham.maxCompileMemoryMB');
    assert.match(expected, /^the compile needs about 9\.2 GB \(n = 100, bond = 256, up to 25 brick layers\); the limit is 4096 MB \(qham\.maxCompileMemoryMB\); lower bond or layers$/);
    await withServer({ compileOnType: true }, async ({ client, file }) => {
      const uri = file('big.qham', text);
      const since = client.statuses.length;
      const published = client.published.length;
      await client.open(uri, text);
      // compileOnType: after the debounce the block is refused, not queued.
      const refused = await client.waitForBlock(uri, 'b', (b) => b.state === 'failed', 10_000, since);
      assert.equal(refused.error, expected);
      const p = await client.waitFor(uri, (x) => byCode(x.diagnostics, 'QH703').length > 0, 10_000, published);
      const [d] = byCode(p.diagnostics, 'QH703');
      assert.equal(d.severity, DiagnosticSeverity.Error);
      assert.equal(d.range.start.line, positionOf(text, 'evolve').line);
      assert.equal(d.message, `Compilation refused: ${expected}.`);
      assert.equal(byCode(p.diagnostics, 'QH701').length, 0);
      // An explicit compile is refused too.
      assert.deepEqual(await client.compile(uri, 'b'), { queued: [] });
      const stats = await client.stats();
      assert.deepEqual({ jobs: stats.jobsSubmitted, started: stats.workersStarted, live: stats.workersLive }, { jobs: 0, started: 0, live: 0 }, 'no work started');
      assert.match(hoverText(await client.hover(uri, positionOf(text, 'evolve', 0, 1))), /needs about 9\.2 GB/);
      assert.equal(await client.shutdown(), 0);
    });
  });

  it('too large: raising qham.maxCompileMemoryMB (didChangeConfiguration) lets the refused block compile', async () => {
    // 20 qubits, bond 1024, one layer: about 470 MB, over a 256 MB limit and under 1024 MB.
    const text = program(20, ['layers = 1', 'bond = 1024', 'maxiter = 5', 'fidelity = 0.5', 'target_steps = 4']);
    const [block] = analyze(text).program.evolves;
    const need = compileMemory(block);
    assert.ok(need.bytes > 256 * 2 ** 20 && need.bytes < 1024 * 2 ** 20, String(need.bytes));
    await withServer({ maxCompileMemoryMB: 256 }, async ({ client, file }) => {
      const uri = file('limit.qham', text);
      await client.openAndWait(uri, text);
      const published = client.published.length;
      assert.deepEqual(await client.compile(uri, 'b'), { queued: [] });
      assert.equal(client.lastBlock(uri, 'b')?.state, 'failed');
      assert.match(client.lastBlock(uri, 'b')?.error ?? '', /the limit is 256 MB/);
      await client.waitFor(uri, (x) => byCode(x.diagnostics, 'QH703').length === 1, 10_000, published);

      const since = client.statuses.length;
      const republished = client.published.length;
      await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { qham: { maxCompileMemoryMB: 1024 } } });
      // Judged again: back to idle (compileOnType is off), the QH703 is gone.
      await client.waitForBlock(uri, 'b', (b) => b.state === 'idle', 10_000, since);
      const cleared = await client.waitFor(uri, () => true, 10_000, republished);
      assert.deepEqual(byCode(cleared.diagnostics, 'QH703'), []);
      assert.deepEqual(await client.compile(uri, 'b'), { queued: ['b'] });
      await client.waitForBlock(uri, 'b', (b) => b.state === 'queued' || b.state === 'running', 10_000, since);
      assert.equal((await client.stats()).jobsSubmitted, 1);
      await client.cancel({ uri });
      await client.waitForBlock(uri, 'b', isFinal, COMPILE_MS, since);
      await sleep(50);
      assert.equal(client.exitCode, null);
      assert.equal(await client.shutdown(), 0);
    });
  });
});
