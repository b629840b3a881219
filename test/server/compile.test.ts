// Protocol-level tests of background compilation: the BUILT server (`node dist/server.js --stdio`)
// driven over JSON-RPC by the independent test client, with small, fast blocks in temporary
// workspace folders. Each test starts its own server (settings come from initializationOptions,
// faults from QHAM_WORKER_FAULT in the child's environment) and removes it and its folders even
// when it fails.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { before, describe, it } from 'node:test';
import { type Diagnostic, DiagnosticSeverity, type Hover, type MarkupContent } from 'vscode-languageserver-protocol/node';
import type { BlockState, BlockStatus, ServerSettings } from '../../server/src/protocol';
import { LspClient, type StartOptions, applyChanges, buildServer, fileUri, positionOf, rangeOf } from '../helpers/lsp-client';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How long a test waits for a compile that should take a second or two (slack for a loaded machine). */
const COMPILE_MS = 30_000;
/** The server's compile-on-type debounce (800 ms) plus a margin. */
const PAST_DEBOUNCE_MS = 1_500;

interface BlockSpec {
  name: string;
  qubits?: number;
  t?: number;
  method?: 'aqc' | 'trotter';
  layers?: number;
  maxiter?: number;
  fidelity?: number;
  targetSteps?: number;
  seed?: number;
  output?: string;
}

/** A small XXZ chain program with the given evolve blocks (all on the same register). */
function program(blocks: BlockSpec[], qubits = blocks[0]?.qubits ?? 8): string {
  const lines = [
    '# XXZ chain for the compile tests',
    `qubits ${qubits}`,
    'param J = 1.0',
    'param Delta = 0.5',
    '',
    'hamiltonian H {',
    '  sum i in 0..n-2 { J * (X[i] X[i+1] + Y[i] Y[i+1] + Delta * Z[i] Z[i+1]) }',
    '}',
    '',
    'state psi0 = neel',
  ];
  for (const b of blocks) {
    lines.push('', `evolve psi0 under H for ${(b.t ?? 0.5).toFixed(1)} as ${b.name} {`);
    lines.push(`  method = ${b.method ?? 'aqc'}`);
    lines.push(`  layers = ${b.layers ?? 1}`);
    if (b.method !== 'trotter') lines.push(`  maxiter = ${b.maxiter ?? 30}`);
    lines.push(`  fidelity = ${b.fidelity ?? 0.9}`);
    if (b.targetSteps !== undefined) lines.push(`  target_steps = ${b.targetSteps}`);
    if (b.seed !== undefined) lines.push(`  seed = ${b.seed}`);
    if (b.output !== undefined) lines.push(`  output = "${b.output}"`);
    lines.push('}');
  }
  return `${lines.join('\n')}\n`;
}

/** 8 qubits, one layer: reaches F ≈ 0.95 > 0.9 in a fraction of a second. */
const GOOD: BlockSpec = { name: 'good', qubits: 8, t: 0.5, layers: 1, maxiter: 30, fidelity: 0.9 };
/** 10 qubits, two layers, an unreachable goal: ~50 optimiser iterations over about a second, then QH700. */
const PROGRESS: BlockSpec = { name: 'prog', qubits: 10, t: 1.0, layers: 2, maxiter: 60, fidelity: 0.999999, targetSteps: 20 };
/** 12 qubits, two layers, up to 300 iterations: runs for several seconds (long enough to cancel). */
const LONG: BlockSpec = { name: 'long', qubits: 12, t: 2.0, layers: 2, maxiter: 300, fidelity: 0.99999, targetSteps: 40 };

interface Ctx {
  client: LspClient;
  /** The temporary folder of this test; `ws` is the workspace folder inside it. */
  root: string;
  ws: string;
  cache: string;
  /** Writes `text` to ws/<name> and returns its URI. */
  file(name: string, text: string): string;
}

type Settings = Partial<ServerSettings>;

/** Runs `f` against a fresh server in a fresh temporary workspace; always disposes of both. */
async function withServer(settings: Settings, f: (c: Ctx) => Promise<void>, extra: Omit<StartOptions, 'initializationOptions'> & { root?: string } = {}): Promise<void> {
  const ownRoot = !extra.root;
  const root = extra.root ?? mkdtempSync(join(tmpdir(), 'qham-lsp-compile-'));
  const ws = join(root, 'ws');
  const cache = join(root, 'cache');
  mkdirSync(ws, { recursive: true });
  let client: LspClient | undefined;
  try {
    ({ client } = await LspClient.start({
      ...extra,
      workspaceFolder: ws,
      initializationOptions: { compileOnType: false, compileOnSave: false, workers: 1, cacheFolder: cache, ...settings },
    }));
    const file = (name: string, text: string) => {
      const p = join(ws, name);
      writeFileSync(p, text);
      return fileUri(p);
    };
    await f({ client, root, ws, cache, file });
  } finally {
    await client?.dispose();
    if (ownRoot) rmSync(root, { recursive: true, force: true });
  }
}

const FINAL: BlockState[] = ['done', 'failed', 'cancelled'];
const isFinal = (b: BlockStatus) => FINAL.includes(b.state);

/** The states one block went through (consecutive repeats collapsed), from index `since` of the statuses. */
function stateTrail(client: LspClient, uri: string, block: string, since = 0, dropLeadingIdle = false): BlockState[] {
  const out: BlockState[] = [];
  for (const s of client.statuses.slice(since)) {
    if (s.uri !== uri) continue;
    const b = s.blocks.find((x) => x.block === block);
    // A leading 'idle' is the state before the request (the server syncs its blocks right after
    // publishing diagnostics, so that status may arrive after `since`).
    if (b && out[out.length - 1] !== b.state && !(dropLeadingIdle && out.length === 0 && b.state === 'idle')) out.push(b.state);
  }
  return out;
}

/** The SVG's root element: exported drawings start with the `<!-- Generated by QHam -->` marker comment. */
const svgBody = (svg: string | undefined): string => (svg ?? '').replace(/^<!-- Generated by QHam -->\n/, '');

const hoverText = (h: Hover | null): string => {
  assert.ok(h, 'expected a hover');
  return (h.contents as MarkupContent).value;
};
const lensTitles = async (client: LspClient, uri: string) => ((await client.codeLenses(uri)) ?? []).map((l) => l.command?.title ?? '');
const byCode = (ds: Diagnostic[], code: string) => ds.filter((d) => d.code === code);
/** The 0-based line of `evolve … as <name>`. */
const evolveLine = (text: string, name: string) => positionOf(text, `as ${name} {`).line;

async function openAndWait(client: LspClient, uri: string, text: string): Promise<void> {
  const ds = await client.openAndWait(uri, text);
  assert.deepEqual(ds.filter((d) => d.severity === DiagnosticSeverity.Error), [], JSON.stringify(ds));
}

async function compileToEnd(client: LspClient, uri: string, block: string): Promise<BlockStatus> {
  const since = client.statuses.length;
  assert.deepEqual(await client.compile(uri, block), { queued: [block] });
  return client.waitForBlock(uri, block, isFinal, COMPILE_MS, since);
}

before(() => buildServer());

describe('background compilation over stdio (dist/server.js)', () => {
  it('qham/compile: queued → running (progress) → done with numbers; work-done progress begin/report/end; QH700 when the goal is missed', async () => {
    await withServer({}, async ({ client, file }) => {
      const text = program([PROGRESS]);
      const uri = file('progress.qham', text);
      await openAndWait(client, uri, text);
      const initial = await client.waitForBlock(uri, 'prog', () => true);
      assert.equal(initial.state, 'idle');
      assert.equal(initial.method, 'aqc');
      assert.equal(initial.qubits, 10);
      assert.equal(initial.goal, 0.999999);
      assert.equal(initial.line, evolveLine(text, 'prog'));
      // compileOnType is off: nothing starts by itself.
      assert.equal((await client.stats()).jobsSubmitted, 0);

      const since = client.statuses.length;
      const published = client.published.length;
      assert.deepEqual(await client.compile(uri), { queued: ['prog'] });
      const done = await client.waitForBlock(uri, 'prog', isFinal, COMPILE_MS, since);
      assert.equal(done.state, 'done', JSON.stringify(done));

      // The state trail, and the progress the running statuses carried.
      const trail = stateTrail(client, uri, 'prog', since);
      assert.deepEqual(trail, ['queued', 'running', 'done'], trail.join(' → '));
      const running = client.statuses.slice(since).flatMap((s) => s.blocks.filter((b) => b.block === 'prog' && b.state === 'running'));
      assert.ok(running.length >= 2, `running statuses: ${running.length}`);
      for (const r of running) {
        assert.ok(r.progress, 'a running status carries progress');
        assert.ok(['target', 'optimize', 'compare', 'trotter'].includes(r.progress.phase), r.progress.phase);
        assert.equal(typeof r.progress.message, 'string');
      }
      const optimize = running.map((r) => r.progress!).filter((p) => p.phase === 'optimize');
      assert.ok(optimize.length >= 1, `phases seen: ${running.map((r) => r.progress!.phase).join(', ')}`);
      for (const p of optimize) {
        assert.ok(Number.isInteger(p.iteration) && p.iteration! >= 0, JSON.stringify(p));
        assert.equal(p.maxIterations, 60);
        assert.equal(p.layers, 2);
        assert.ok(p.fidelity! > 0 && p.fidelity! <= 1, JSON.stringify(p));
      }
      const iterations = optimize.map((p) => p.iteration!);
      assert.deepEqual(iterations, [...iterations].sort((a, b) => a - b), 'iterations only go forward');

      // The numbers of the result.
      const n = done.numbers!;
      assert.ok(n, 'numbers');
      assert.ok(n.fidelity! > 0 && n.fidelity! < 0.999999, `fidelity ${n.fidelity}`);
      assert.ok(Number.isInteger(n.twoQubitDepth) && n.twoQubitDepth > 0, `2q depth ${n.twoQubitDepth}`);
      assert.ok(Number.isInteger(n.cxCount) && n.cxCount > 0, `cx ${n.cxCount}`);
      assert.ok(n.depth >= n.twoQubitDepth);
      assert.ok(n.iterations! >= 1 && n.iterations! <= 60, `iterations ${n.iterations}`);
      assert.ok(n.seconds > 0);
      assert.equal(n.trace, undefined, 'the status leaves the trace out (circuitView has it)');
      assert.equal(done.goalReached, false);
      assert.equal(done.cached, false);
      assert.equal(done.progress, undefined);

      // Work-done progress: one token, begin → report… → end, all before (or as) the job ended.
      assert.equal(client.progressTokens.length, 1, `tokens: ${client.progressTokens.join(', ')}`);
      const [token] = client.progressTokens;
      const end = await client.waitForProgress((p) => p.token === token && p.value.kind === 'end');
      const mine = client.progress.filter((p) => p.token === token);
      const kinds = mine.map((p) => p.value.kind);
      assert.equal(kinds[0], 'begin', kinds.join(','));
      assert.equal(kinds[kinds.length - 1], 'end');
      assert.equal(kinds.filter((k) => k === 'begin').length, 1);
      assert.equal(kinds.filter((k) => k === 'end').length, 1);
      assert.ok(kinds.filter((k) => k === 'report').length >= 2, kinds.join(','));
      const begin = mine[0].value;
      assert.ok(begin.kind === 'begin' && begin.title.includes('prog') && begin.cancellable === true, JSON.stringify(begin));
      const percentages = mine.flatMap((p) => (p.value.kind === 'report' && p.value.percentage !== undefined ? [p.value.percentage] : []));
      assert.ok(percentages.every((x) => x >= 0 && x <= 100), percentages.join(','));
      assert.ok(mine.some((p) => p.value.kind === 'report' && /iteration \d+, F 0\.\d+/.test(p.value.message ?? '')), 'a report names the iteration and fidelity');
      assert.ok(end.receivedAt >= mine[0].receivedAt);

      // Goal missed: a QH700 warning on the evolve line (republished with the document's version).
      const warned = await client.waitFor(uri, (p) => byCode(p.diagnostics, 'QH700').length > 0, 10_000, published);
      const [w] = byCode(warned.diagnostics, 'QH700');
      assert.equal(w.severity, DiagnosticSeverity.Warning);
      assert.equal(w.range.start.line, evolveLine(text, 'prog'));
      assert.equal(w.range.start.character, 0, 'starts at `evolve`');
      assert.match(w.message, /reaches fidelity 0\.\d{6}, below the goal 0\.999999/);
      assert.equal(warned.version, 1);

      const stats = await client.stats();
      assert.equal(stats.jobsSubmitted, 1);
      assert.equal(stats.workersStarted, 1);
      assert.equal(stats.busy, 0);
      assert.equal(stats.queued, 0);
    }, { workDoneProgress: true });
  });

  it('window/workDoneProgress/cancel cancels the job (state cancelled, progress ended, worker kept)', async () => {
    await withServer({}, async ({ client, file }) => {
      const text = program([LONG]);
      const uri = file('long.qham', text);
      await openAndWait(client, uri, text);
      const since = client.statuses.length;
      assert.deepEqual(await client.compile(uri, 'long'), { queued: ['long'] });
      const begin = await client.waitForProgress((p) => p.value.kind === 'begin', COMPILE_MS);
      await client.waitForBlock(uri, 'long', (b) => b.state === 'running', COMPILE_MS, since);
      const t0 = performance.now();
      const atCancel = client.statuses.length;
      await client.cancelProgress(begin.token);
      const cancelled = await client.waitForBlock(uri, 'long', (b) => b.state !== 'running', 10_000, atCancel);
      const ms = performance.now() - t0;
      assert.equal(cancelled.state, 'cancelled', JSON.stringify(cancelled));
      assert.equal(cancelled.numbers, undefined);
      assert.ok(ms < 2_500, `cancelled after ${ms.toFixed(0)} ms (the engine checks the flag between steps)`);
      await client.waitForProgress((p) => p.token === begin.token && p.value.kind === 'end', 5_000);
      const stats = await client.stats();
      assert.deepEqual({ busy: stats.busy, queued: stats.queued, started: stats.workersStarted, live: stats.workersLive }, { busy: 0, queued: 0, started: 1, live: 1 }, 'stopped cooperatively: the worker was not replaced');
      assert.deepEqual(stateTrail(client, uri, 'long', since, true), ['queued', 'running', 'cancelled']);
      // Nothing reached the cache, and the hover says it is not compiled.
      assert.match(hoverText(await client.hover(uri, positionOf(text, 'evolve', 0, 1))), /Status: not compiled yet/);
      await sleep(300);
      assert.equal(client.lastBlock(uri, 'long')?.state, 'cancelled', 'stays cancelled');
    }, { workDoneProgress: true });
  });

  it('code lens: `▶ Compile` before; `F 0.xxxx · 2q-depth N (Trotter M) · s` after; the evolve hover shows the numbers table and a text preview', async () => {
    await withServer({}, async ({ client, file }) => {
      const text = program([GOOD]);
      const uri = file('lens.qham', text);
      await openAndWait(client, uri, text);
      await client.waitForBlock(uri, 'good', (b) => b.state === 'idle');
      const before = await client.codeLenses(uri);
      assert.deepEqual(before?.map((l) => l.command?.title), ['▶ Compile', 'Show circuit', 'Export']);
      for (const l of before!) {
        assert.equal(l.range.start.line, evolveLine(text, 'good'));
        assert.deepEqual(l.command?.arguments, [{ uri, block: 'good' }]);
      }
      assert.equal(before![0].command?.command, 'qham.compile');
      assert.match(hoverText(await client.hover(uri, positionOf(text, 'evolve', 0, 2))), /Status: not compiled yet/);

      const done = await compileToEnd(client, uri, 'good');
      assert.equal(done.state, 'done');
      assert.equal(done.goalReached, true);
      const n = done.numbers!;
      const titles = await lensTitles(client, uri);
      assert.equal(titles.length, 3, titles.join(' | '));
      assert.match(titles[0], /^F 0\.\d{4} · 2q-depth \d+ \(Trotter \d+\) · \d+\.\d s$/);
      assert.ok(titles[0].startsWith(`F ${n.fidelity!.toFixed(4)} · 2q-depth ${n.twoQubitDepth} `), titles[0]);
      assert.deepEqual(titles.slice(1), ['Show circuit', 'Export']);

      const h = hoverText(await client.hover(uri, positionOf(text, 'evolve', 0, 2)));
      assert.ok(h.startsWith('**evolve** `good`: psi0 under H for t = 0.5'), h);
      assert.ok(h.includes('Status: compiled.'), h);
      assert.ok(h.includes('| fidelity | target error | depth | 2q depth | CX | params | iterations | time |'), h);
      assert.ok(h.includes(`| ${n.fidelity!.toFixed(6)} | `), h);
      assert.ok(h.includes(` | ${n.depth} | ${n.twoQubitDepth} | ${n.cxCount} | `), h);
      assert.match(h, /Trotter: same 2q depth → F 0\.\d{6}/);
      const preview = /```text\n([\s\S]*?)\n```/.exec(h);
      assert.ok(preview, `a monospace preview: ${h}`);
      assert.ok(preview[1].split('\n').length >= 6, preview[1]);
      // Hovering elsewhere still works while the entry is compiled.
      assert.equal(hoverText(await client.hover(uri, positionOf(text, 'param Delta', 0, 8))), '**param** `Delta` = `0.5`');
    });
  });

  it('an edit that changes the inputs during a compile cancels the job and restarts it for the new inputs', async () => {
    await withServer({ compileOnType: true }, async ({ client, file, cache }) => {
      let text = program([LONG]);
      const uri = file('restart.qham', text);
      await openAndWait(client, uri, text);
      // compileOnType: the debounce starts it.
      const first = await client.waitForBlock(uri, 'long', (b) => b.state === 'running' && b.progress?.phase === 'optimize', COMPILE_MS);
      assert.equal(first.progress?.maxIterations, 300);
      assert.equal((await client.stats()).jobsSubmitted, 1);

      const since = client.statuses.length;
      const at = positionOf(text, 'maxiter = 300', 0, 'maxiter = '.length);
      const change = { range: { start: at, end: { line: at.line, character: at.character + 3 } }, text: '25' };
      text = applyChanges(text, [change]);
      assert.ok(text.includes('maxiter = 25'));
      const t0 = performance.now();
      await client.change(uri, 2, [change]);
      // The old job is dropped at once: version 2 never shows it running.
      const left = await client.waitForStatus(uri, (s) => s.version === 2, 10_000, since);
      const leftState = left.blocks.find((b) => b.block === 'long')!.state;
      assert.equal(leftState, 'idle', `right after the edit: ${leftState}`);
      const done = await client.waitForBlock(uri, 'long', isFinal, COMPILE_MS, since);
      const ms = performance.now() - t0;
      assert.equal(done.state, 'done', JSON.stringify(done));
      assert.equal(client.statuses[client.statuses.length - 1].version, 2);
      // The result is that of the new inputs.
      assert.ok(done.numbers!.iterations! <= 25, `iterations ${done.numbers!.iterations}`);
      const trail = stateTrail(client, uri, 'long', since);
      assert.deepEqual(trail, ['idle', 'queued', 'running', 'done'], trail.join(' → '));
      const running = client.statuses.slice(since).flatMap((s) => s.blocks.filter((b) => b.state === 'running' && b.progress?.phase === 'optimize'));
      assert.ok(running.every((b) => b.progress!.maxIterations === 25), 'no progress of the old job after the edit');

      const stats = await client.stats();
      assert.equal(stats.jobsSubmitted, 2, 'one new job');
      // One worker did both: the old job stopped cooperatively, without a result (only the new key is cached).
      assert.equal(stats.workersStarted, 1);
      assert.equal(stats.busy, 0);
      assert.equal(readdirSync(cache).filter((f) => f.endsWith('.json')).length, 1, `cache: ${readdirSync(cache).join(', ')}`);
      assert.ok(ms < COMPILE_MS, `${ms}`);
    });
  });

  it('didClose during a compile stops the job, and no qham/fileStatus for the closed document follows', async () => {
    await withServer({}, async ({ client, file }) => {
      const text = program([LONG]);
      // A stopped job may still report progress until the engine sees the flag; a status sent from
      // that would leave the closed document `running` forever. Several closes at varying moments.
      for (let k = 0; k < 6; k++) {
        const uri = file(`close-${k}.qham`, text);
        await openAndWait(client, uri, text);
        const since = client.statuses.length;
        await client.compile(uri, 'long');
        await client.waitForBlock(uri, 'long', (b) => b.state === 'running' && b.progress?.phase === 'optimize', COMPILE_MS, since);
        await sleep(23 * k);
        const published = client.published.length;
        await client.close(uri);
        // The server clears the diagnostics of a closed document: anything after that is stale.
        const cleared = await client.waitFor(uri, (p) => p.version === undefined && p.diagnostics.length === 0, 10_000, published);
        const t0 = performance.now();
        for (;;) {
          const st = await client.stats();
          if (st.busy === 0) break;
          assert.ok(performance.now() - t0 < 2_500, 'the job stops once its document is closed');
          await sleep(10);
        }
        await sleep(250);
        const stale = client.statuses.filter((s) => s.uri === uri && s.receivedAt > cleared.receivedAt);
        assert.deepEqual(stale.map((s) => s.blocks.map((b) => b.state)), [], `close ${k}: statuses after didClose`);
      }
      const stats = await client.stats();
      assert.equal(stats.jobsSubmitted, 6);
      assert.equal(stats.workersStarted, 1, 'every stop was cooperative');
    });
  });

  it('comment and whitespace edits recompile nothing (jobsSubmitted unchanged, state stays done)', async () => {
    await withServer({ compileOnType: true }, async ({ client, file }) => {
      let text = program([GOOD]);
      const uri = file('comments.qham', text);
      await openAndWait(client, uri, text);
      const done = await client.waitForBlock(uri, 'good', (b) => b.state === 'done', COMPILE_MS);
      assert.equal(done.cached, false);
      const before = await client.stats();
      assert.equal(before.jobsSubmitted, 1);

      const since = client.statuses.length;
      let version = 1;
      const edits = [
        () => { const p = positionOf(text, '# XXZ', 0, 2); return { range: { start: p, end: p }, text: 'edited ' }; },
        () => { const p = positionOf(text, 'layers = 1'); return { range: { start: p, end: p }, text: '   ' }; },
        () => { const p = positionOf(text, 'maxiter = 30', 0, 7); return { range: { start: p, end: { line: p.line, character: p.character + 3 } }, text: '   =    ' }; },
        () => { const p = positionOf(text, 'fidelity = 0.9', 0, 'fidelity = 0.9'.length); return { range: { start: p, end: p }, text: '  # the goal' }; },
        () => { const p = positionOf(text, 'state psi0'); return { range: { start: p, end: p }, text: '\n\n# a new comment line\n' }; },
      ];
      for (const e of edits) {
        const change = e();
        text = applyChanges(text, [change]);
        const published = client.published.length;
        await client.change(uri, ++version, [change]);
        const p = await client.diagnosticsFor(uri, version, 10_000, published);
        assert.deepEqual(p.diagnostics, [], `after edit ${version}: ${JSON.stringify(p.diagnostics)}`);
      }
      assert.ok(text.includes('# edited XXZ') && text.includes('maxiter   =    30') && text.includes('# the goal'), text);
      await sleep(PAST_DEBOUNCE_MS);
      const after = await client.stats();
      assert.equal(after.jobsSubmitted, before.jobsSubmitted, 'no job for a comment/whitespace edit');
      assert.equal(after.busy + after.queued, 0);
      // Every status since the edits says done (never idle/queued/running), and the numbers stay.
      const trail = stateTrail(client, uri, 'good', since);
      assert.deepEqual(trail, ['done'], trail.join(' → '));
      const last = client.lastBlock(uri, 'good')!;
      assert.equal(last.line, evolveLine(text, 'good'), 'the line follows the edit');
      assert.deepEqual(last.numbers, done.numbers);
      assert.match((await lensTitles(client, uri))[0], /^F 0\.\d{4} · /);
    });
  });

  it('reopening an unchanged file hits the cache: close + open, and a new server with the same cacheFolder starts no worker', async () => {
    const root = mkdtempSync(join(tmpdir(), 'qham-lsp-compile-'));
    try {
      const text = program([GOOD]);
      let firstNumbers: BlockStatus['numbers'];
      await withServer({}, async ({ client, file }) => {
        const uri = file('cached.qham', text);
        await openAndWait(client, uri, text);
        const done = await compileToEnd(client, uri, 'good');
        assert.equal(done.state, 'done');
        assert.equal(done.cached, false);
        firstNumbers = done.numbers;
        await client.close(uri);
        const since = client.statuses.length;
        await client.open(uri, text, 1);
        const again = await client.waitForBlock(uri, 'good', () => true, 10_000, since);
        assert.equal(again.state, 'done', 'done as soon as it is open');
        assert.equal(again.cached, true);
        assert.deepEqual(again.numbers, firstNumbers);
        const stats = await client.stats();
        assert.equal(stats.jobsSubmitted, 1);
        assert.equal(stats.cacheHits, 1);
        // Asking again compiles nothing either.
        assert.deepEqual(await client.compile(uri, 'good'), { queued: [] });
        assert.equal((await client.stats()).jobsSubmitted, 1);
        assert.equal(await client.shutdown(), 0);
      }, { root });

      // A new server process, compileOnType on, the same cache folder (on disk).
      await withServer({ compileOnType: true }, async ({ client, ws }) => {
        const uri = fileUri(join(ws, 'cached.qham'));
        await openAndWait(client, uri, text);
        const st = await client.waitForBlock(uri, 'good', () => true);
        assert.equal(st.state, 'done');
        assert.equal(st.cached, true);
        assert.deepEqual(st.numbers, firstNumbers);
        await sleep(PAST_DEBOUNCE_MS);
        const stats = await client.stats();
        assert.deepEqual({ started: stats.workersStarted, live: stats.workersLive, jobs: stats.jobsSubmitted, hits: stats.cacheHits }, { started: 0, live: 0, jobs: 0, hits: 1 });
        assert.deepEqual(stateTrail(client, uri, 'good'), ['done']);
        assert.match((await lensTitles(client, uri))[0], /^F 0\.\d{4} · .* \(cached\)$/);
        assert.match(hoverText(await client.hover(uri, positionOf(text, 'evolve', 0, 1))), /Status: compiled \(cached\)\./);
        const view = await client.circuitView({ uri, block: 'good' });
        assert.ok(svgBody(view?.svg).startsWith('<svg'), 'the cached result draws');
      }, { root });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('didSave with compileOnSave writes `output` (OpenQASM 3 with the QHam header) inside the workspace; outside → QH702, never over a foreign file → QH702', async () => {
    await withServer({ compileOnSave: true }, async ({ client, root, ws, file }) => {
      const text = program([
        { ...GOOD, name: 'inside', output: 'out/inside.qasm', seed: 1 },
        { ...GOOD, name: 'escape', output: '../outside.qasm', seed: 2 },
        { ...GOOD, name: 'clash', output: 'out/mine.qasm', seed: 3 },
      ]);
      mkdirSync(join(ws, 'out'));
      const foreign = 'OPENQASM 3.0;\n// my own hand-written circuit\nqubit[1] q;\nx q[0];\n';
      writeFileSync(join(ws, 'out', 'mine.qasm'), foreign);
      const uri = file('save.qham', text);
      await openAndWait(client, uri, text);
      assert.equal((await client.stats()).jobsSubmitted, 0, 'compileOnType is off');
      const published = client.published.length;
      await client.save(uri);
      const refused = await client.waitFor(uri, (p) => byCode(p.diagnostics, 'QH702').length === 2, COMPILE_MS, published);
      for (const b of ['inside', 'escape', 'clash']) assert.equal((await client.waitForBlock(uri, b, isFinal, COMPILE_MS)).state, 'done');

      // Inside the workspace: written, OpenQASM 3 with the header.
      const inside = join(ws, 'out', 'inside.qasm');
      for (let k = 0; k < 50 && !existsSync(inside); k++) await sleep(100);
      const qasm = readFileSync(inside, 'utf8');
      const lines = qasm.split('\n');
      assert.equal(lines[0], '// Generated by QHam', qasm.slice(0, 300));
      assert.ok(qasm.includes('// block: inside'), qasm.slice(0, 600));
      assert.ok(qasm.includes(`// source: ${join(ws, 'save.qham')}`), qasm.slice(0, 600));
      assert.match(qasm, /\/\/ fidelity: 0\.\d+/);
      assert.ok(qasm.includes('\nOPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[8] q;\n'), qasm.slice(0, 800));
      assert.ok(/^cx q\[\d\], q\[\d\];$/m.test(qasm), 'has two-qubit gates');
      assert.ok(!readdirSync(join(ws, 'out')).some((f) => f.includes('.tmp')), 'no temporary files left');

      // Outside: refused, nothing written.
      const ds = refused.diagnostics.filter((d) => d.code === 'QH702');
      const escape = ds.find((d) => d.message.includes('outside the workspace'));
      assert.ok(escape, JSON.stringify(ds));
      assert.equal(escape.severity, DiagnosticSeverity.Error);
      assert.deepEqual(escape.range, rangeOf(text, '"../outside.qasm"'));
      assert.ok(!existsSync(join(root, 'outside.qasm')), 'nothing written outside the workspace');
      // A file QHam did not write: refused, untouched.
      const clash = ds.find((d) => d.message.includes('was not written by QHam'));
      assert.ok(clash, JSON.stringify(ds));
      assert.deepEqual(clash.range, rangeOf(text, '"out/mine.qasm"'));
      assert.equal(readFileSync(join(ws, 'out', 'mine.qasm'), 'utf8'), foreign);

      // Saving again: no new jobs (unchanged inputs); QHam's own file may be rewritten, the others stay refused.
      const jobs = (await client.stats()).jobsSubmitted;
      assert.equal(jobs, 3);
      const again = client.published.length;
      await client.save(uri);
      const p = await client.waitFor(uri, () => true, 10_000, again);
      assert.equal(byCode(p.diagnostics, 'QH702').length, 2);
      await sleep(200);
      assert.equal((await client.stats()).jobsSubmitted, 3);
      assert.equal(readFileSync(join(ws, 'out', 'mine.qasm'), 'utf8'), foreign);
      assert.equal(readFileSync(inside, 'utf8'), qasm, 'the same circuit, byte for byte');
    });
  });

  it('faults: a worker that throws → QH701 naming the cause; the server keeps answering', async () => {
    await withServer({}, async ({ client, file }) => {
      const text = program([GOOD]);
      const uri = file('throw.qham', text);
      await openAndWait(client, uri, text);
      const published = client.published.length;
      const failed = await compileToEnd(client, uri, 'good');
      assert.equal(failed.state, 'failed');
      assert.match(failed.error ?? '', /injected fault: throw/);
      const p = await client.waitFor(uri, (x) => byCode(x.diagnostics, 'QH701').length > 0, 10_000, published);
      const [d] = byCode(p.diagnostics, 'QH701');
      assert.equal(d.severity, DiagnosticSeverity.Error);
      assert.equal(d.range.start.line, evolveLine(text, 'good'));
      assert.match(d.message, /^Compilation failed: .*injected fault: throw/);
      // Alive: hover, code lens, stats.
      assert.equal(hoverText(await client.hover(uri, positionOf(text, 'param J', 0, 6))), '**param** `J` = `1`');
      assert.match(hoverText(await client.hover(uri, positionOf(text, 'evolve', 0, 1))), /compilation failed\*\* — .*injected fault: throw/);
      assert.deepEqual(await lensTitles(client, uri), ['$(error) compile failed — retry']);
      const stats = await client.stats();
      assert.equal(stats.workersLive, 1, 'a thrown error does not kill the worker');
      assert.equal(client.exitCode, null);
    }, { env: { QHAM_WORKER_FAULT: 'throw' } });
  });

  it('faults: a worker that exits → QH701; the next compile starts a fresh worker (workersLive recovers)', async () => {
    await withServer({}, async ({ client, file }) => {
      const text = program([GOOD]);
      const uri = file('exit.qham', text);
      await openAndWait(client, uri, text);
      const published = client.published.length;
      const failed = await compileToEnd(client, uri, 'good');
      assert.equal(failed.state, 'failed');
      assert.match(failed.error ?? '', /exited \(code 3\)/);
      const p = await client.waitFor(uri, (x) => byCode(x.diagnostics, 'QH701').length > 0, 10_000, published);
      assert.match(byCode(p.diagnostics, 'QH701')[0].message, /worker exited \(code 3\)/);
      const dead = await client.stats();
      assert.deepEqual({ started: dead.workersStarted, live: dead.workersLive, busy: dead.busy }, { started: 1, live: 0, busy: 0 });

      // The next compile (of the failed block) gets a fresh worker.
      const since = client.statuses.length;
      assert.deepEqual(await client.compile(uri, 'good'), { queued: ['good'] });
      const live = await client.stats();
      assert.equal(live.workersStarted, 2);
      assert.equal(live.workersLive, 1);
      assert.equal(live.jobsSubmitted, 2);
      // (It exits again: the fault is in its environment.) The server is still fine.
      assert.equal((await client.waitForBlock(uri, 'good', isFinal, COMPILE_MS, since)).state, 'failed');
      assert.equal(hoverText(await client.hover(uri, positionOf(text, 'param J', 0, 6))), '**param** `J` = `1`');
      assert.equal(client.exitCode, null);
    }, { env: { QHAM_WORKER_FAULT: 'exit' } });
  });

  it('faults: a hung worker is terminated on cancel after the grace period and replaced', async () => {
    await withServer({}, async ({ client, file }) => {
      const text = program([GOOD]);
      const uri = file('hang.qham', text);
      await openAndWait(client, uri, text);
      const since = client.statuses.length;
      await client.compile(uri, 'good');
      await client.waitForBlock(uri, 'good', (b) => b.state === 'running', COMPILE_MS, since);
      await sleep(200);
      assert.equal(client.lastBlock(uri, 'good')?.state, 'running', 'hung, not finished');
      const t0 = performance.now();
      assert.deepEqual(await client.cancel({ uri, block: 'good' }), { cancelled: 1 });
      // Responsive while the worker spins.
      assert.equal(hoverText(await client.hover(uri, positionOf(text, 'param J', 0, 6))), '**param** `J` = `1`');
      const end = await client.waitForBlock(uri, 'good', isFinal, 10_000, since);
      const ms = performance.now() - t0;
      assert.equal(end.state, 'cancelled');
      assert.ok(ms >= 2_500 && ms < 6_000, `cancelled after ${ms.toFixed(0)} ms (grace 3 s)`);
      const stats = await client.stats();
      assert.deepEqual({ started: stats.workersStarted, live: stats.workersLive, busy: stats.busy }, { started: 1, live: 0, busy: 0 }, 'the hung worker was terminated');
      // A fresh worker takes the next job.
      const since2 = client.statuses.length;
      await client.compile(uri, 'good');
      await client.waitForBlock(uri, 'good', (b) => b.state === 'running', COMPILE_MS, since2);
      const next = await client.stats();
      assert.deepEqual({ started: next.workersStarted, live: next.workersLive, busy: next.busy }, { started: 2, live: 1, busy: 1 });
    }, { env: { QHAM_WORKER_FAULT: 'hang' } });
  });

  it('qham/circuitView returns the SVG and the trace of an aqc block; qham/export writes qasm3, qasm2, json and svg', async () => {
    await withServer({}, async ({ client, file, root }) => {
      const text = program([GOOD, { name: 'trot', method: 'trotter', layers: 2, fidelity: 0.9 }]);
      const uri = file('view.qham', text);
      await openAndWait(client, uri, text);
      // Before compiling: the status only.
      const early = await client.circuitView({ uri, block: 'good' });
      assert.equal(early?.status.state, 'idle');
      assert.equal(early?.svg, undefined);
      assert.equal(await client.circuitView({ uri, block: 'nope' }), null);
      await assert.rejects(client.exportBlock({ uri, block: 'good', format: 'qasm3', path: join(root, 'early.qasm') }), /compile it first/);

      assert.deepEqual(await client.compile(uri), { queued: ['good', 'trot'] });
      for (const b of ['good', 'trot']) assert.equal((await client.waitForBlock(uri, b, isFinal, COMPILE_MS)).state, 'done');

      const view = await client.circuitView({ uri, block: 'good' });
      assert.ok(view, 'view');
      assert.equal(view.status.state, 'done');
      assert.ok(svgBody(view.svg).startsWith('<svg '), view.svg?.slice(0, 80));
      assert.ok(view.svg!.trimEnd().endsWith('</svg>'));
      assert.ok(Array.isArray(view.trace) && view.trace.length >= 1, JSON.stringify(view.trace));
      assert.ok(view.trace.every((f) => f > 0 && f <= 1));
      assert.equal(view.circuit?.qubits, 8);
      assert.ok((view.circuit?.gates.length ?? 0) > 0);
      assert.equal(view.tooLarge, undefined);
      const trot = await client.circuitView({ uri, block: 'trot' });
      assert.ok(svgBody(trot?.svg).startsWith('<svg '));
      assert.equal(trot?.trace, undefined, 'no optimiser trace for trotter');

      const out = join(root, 'exports');
      const paths = { qasm3: join(out, 'c.qasm'), qasm2: join(out, 'c2.qasm'), json: join(out, 'c.json'), svg: join(out, 'c.svg') } as const;
      for (const [format, path] of Object.entries(paths) as Array<[keyof typeof paths, string]>) {
        assert.deepEqual(await client.exportBlock({ uri, block: 'good', format, path }), { path });
      }
      const q3 = readFileSync(paths.qasm3, 'utf8');
      assert.ok(q3.startsWith('// Generated by QHam\n') && q3.includes('\nOPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[8] q;\n'), q3.slice(0, 500));
      const q2 = readFileSync(paths.qasm2, 'utf8');
      assert.ok(q2.includes('OPENQASM 2.0;') && q2.includes('include "qelib1.inc";') && q2.includes('qreg q[8];'), q2.slice(0, 500));
      const json = JSON.parse(readFileSync(paths.json, 'utf8'));
      assert.equal(json.format, 'qham-result');
      assert.equal(json.version, 1);
      assert.equal(json.blocks.length, 1);
      assert.equal(json.blocks[0].name, 'good');
      assert.equal(json.blocks[0].method, 'aqc');
      assert.equal(json.blocks[0].result.fidelity, view.status.numbers?.fidelity);
      assert.deepEqual(json.blocks[0].result.trace, view.trace);
      assert.deepEqual(json.blocks[0].circuit, view.circuit);
      const svg = readFileSync(paths.svg, 'utf8');
      assert.ok(svgBody(svg).startsWith('<svg '), svg.slice(0, 80));
      assert.equal(svg, view.svg, 'the same drawing as the circuit view');
      // A relative path is refused.
      await assert.rejects(client.exportBlock({ uri, block: 'good', format: 'qasm3', path: 'relative.qasm' }), /must be absolute/);
    });
  });
});
