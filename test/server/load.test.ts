// Load test of the BUILT server (`node dist/server.js --stdio`): while it compiles a few small blocks
// (compileOnType on, one worker) it receives 100 incremental edits a second for 10 seconds —
// alternately cycling a param's value (new block keys: jobs are cancelled) and toggling a comment —
// written without waiting for diagnostics (bench/editor-compile.bench.ts, runEditLoad, drives it and
// reports the same numbers). Then: the final diagnostics are the final version's and equal a fresh
// analysis of the final text, the pool is idle with at most `workers` workers and nothing queued,
// the server's RSS stayed bounded, and shutdown + exit end the process within 2 s with no timer,
// worker or other handle left behind.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { before, describe, it } from 'node:test';
import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { loadProgram, runEditLoad } from '../../bench/editor-compile.bench';
import { type Severity } from '../../server/src/lang/diagnostics';
import { analyze } from '../../server/src/lang/analyze';
import { LspClient, buildServer, fileUri, offsetToPosition } from '../helpers/lsp-client';

const WORKERS = 1;
const SEVERITY: Record<Severity, DiagnosticSeverity> = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint };

/** code + range + message (+ severity), in a stable order, for comparing the server with analyze(). */
const key = (d: { code?: unknown; severity?: DiagnosticSeverity; message: string; range: Diagnostic['range'] }) =>
  `${String(d.code)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} [${d.severity}] ${d.message}`;

/**
 * Loaded into the server with --require: when it exits, it prints the resources still active
 * (process.getActiveResourcesInfo()) to stderr, so the test sees timers or workers left behind.
 */
const EXIT_PROBE = `
const exit = process.exit;
process.exit = function (code) {
  try { process.stderr.write('QHAM-ACTIVE-AT-EXIT ' + JSON.stringify(process.getActiveResourcesInfo()) + '\\n'); } catch {}
  return exit.call(process, code);
};
`;

before(() => buildServer());

describe('load: 100 edits a second for 10 seconds while compiling (dist/server.js)', () => {
  it('ends with the final version\'s diagnostics, an idle pool, bounded memory and a clean exit', { timeout: 120_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), 'qham-lsp-load-'));
    const ws = join(root, 'ws');
    mkdirSync(ws, { recursive: true });
    const probe = join(root, 'exit-probe.cjs');
    writeFileSync(probe, EXIT_PROBE);
    let client: LspClient | undefined;
    try {
      ({ client } = await LspClient.start({
        nodeArgs: ['--require', probe],
        workspaceFolder: ws,
        initializationOptions: { compileOnType: true, compileOnSave: false, workers: WORKERS, cacheFolder: join(root, 'cache') },
      }));
      const text = loadProgram();
      const path = join(ws, 'load.qham');
      writeFileSync(path, text);
      const uri = fileUri(path);
      const since = client.statuses.length;
      const opened = await client.openAndWait(uri, text);
      assert.deepEqual(opened.filter((d) => d.severity === DiagnosticSeverity.Error), []);
      // The load starts while the first compile runs (compileOnType, after its debounce).
      await client.waitForStatus(uri, (s) => s.blocks.some((b) => b.state === 'running'), 30_000, since);

      const r = await runEditLoad(client, uri, text, { editsPerSecond: 100, seconds: 10 });
      const report = `edits ${r.editsSent} in ${r.streamMs.toFixed(0)} ms, ${r.publications} publications, final diagnostics after ${r.finalDiagnosticsMs.toFixed(1)} ms, settled after ${r.settledMs.toFixed(0)} ms, jobs ${r.statsAfter.jobsSubmitted} (cancelled ${r.statsAfter.jobsCancelled}), RSS ${r.rss.before} → peak ${r.rss.peak} → ${r.rss.after} KiB`;
      assert.equal(r.editsSent, 1000);
      assert.ok(r.streamMs < 13_000, `the edit stream took ${r.streamMs.toFixed(0)} ms (${report})`);

      // The final publication is for the final version and is exactly a fresh analysis of the final
      // text (the blocks reach their goals: the compiler adds nothing).
      assert.ok(r.finalBlocks.every((b) => b.state === 'done' && b.goalReached), JSON.stringify(r.finalBlocks.map((b) => [b.block, b.state, b.error, b.goalReached, b.numbers?.fidelity, b.goal])));
      assert.equal(r.final.version, r.finalVersion, report);
      const fresh = analyze(r.finalText).diagnostics.map((d) => ({
        code: d.code, severity: SEVERITY[d.severity], message: d.message,
        range: { start: offsetToPosition(r.finalText, d.span.start), end: offsetToPosition(r.finalText, d.span.end) },
      }));
      assert.deepEqual(r.final.diagnostics.map(key).sort(), fresh.map(key).sort());
      assert.ok(r.finalText.includes('param J = 1.4'), 'the final text has the last param value');

      // The pool is idle, with at most `workers` workers, and nothing queued.
      const s = r.statsAfter;
      assert.deepEqual({ busy: s.busy, queued: s.queued }, { busy: 0, queued: 0 }, report);
      assert.ok(s.workersLive <= WORKERS, `live workers ${s.workersLive}`);
      assert.ok(s.jobsCancelled >= 1, `the param edits cancelled the running compile (${report})`);
      assert.ok(s.jobsSubmitted - r.statsBefore.jobsSubmitted <= 3 * 2, `jobs are not started per edit (${report})`);

      // Bounded memory: after ≤ 2 × before + 100 MB, and no sample above that either.
      const bound = 2 * r.rss.before + 100 * 1024;
      assert.ok(r.rss.samples.length >= 20, `RSS samples: ${r.rss.samples.length}`);
      assert.ok(r.rss.after <= bound, `RSS after ${r.rss.after} KiB > bound ${bound} KiB (${report})`);
      assert.ok(r.rss.peak <= bound, `RSS peak ${r.rss.peak} KiB > bound ${bound} KiB (${report})`);

      // Clean exit within 2 s: shutdown + exit → code 0, and nothing of ours still active.
      const t0 = performance.now();
      const code = await client.shutdown(2_000);
      const ms = performance.now() - t0;
      assert.equal(code, 0);
      assert.ok(ms < 2_000, `exited after ${ms.toFixed(0)} ms`);
      const line = /QHAM-ACTIVE-AT-EXIT (.*)/.exec(client.stderr)?.[1];
      assert.ok(line, `the exit probe did not report:\n${client.stderr}`);
      const active: string[] = JSON.parse(line);
      // vscode-languageserver's parent-process watchdog (a setInterval, since initialize named a
      // processId) and the stdio pipes belong to the library; nothing else may be left: no worker
      // (MessagePort / Worker), no pending grace, debounce, notify or settle timer.
      const timers = active.filter((x) => x === 'Timeout');
      assert.ok(timers.length <= 1, `timers left at exit: ${JSON.stringify(active)}`);
      assert.deepEqual(active.filter((x) => /Worker|MessagePort/.test(x)), [], `workers left at exit: ${JSON.stringify(active)}`);
    } finally {
      await client?.dispose();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
