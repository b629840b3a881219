// Edit→diagnostics and hover latency through the real language server process
// (`node dist/server.js --stdio`, driven by test/helpers/lsp-client.ts).
//
// For each file: open it, warm up, then time ≥ 50 one-character didChange notifications, each
// from just before the notification is written to the moment the publishDiagnostics for that
// version is parsed by the client. Edits alternate insert/delete so the file stays valid:
//   - "comment edit": a character inside a comment (text changes, meaning does not);
//   - "value edit":   a digit appended to a number (`1.0` ↔ `1.05`), so a value changes.
// Also: hover latency (analysis cached), and on the large file a burst of 5 keystrokes sent
// back-to-back (time until the diagnostics of the last one).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Position, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol/node';
import { LspClient, REPO_ROOT, applyChanges, buildServer, offsetToPosition } from '../test/helpers/lsp-client';
import { type BenchReport, median, percentile } from './harness';
import { generateLargeFile } from './gen-large';

const LARGE_LINES = 5000;
const WARMUP = 10;
const EDITS = 60; // per edit kind and file (≥ 50)
const HOVERS = 60;
const BURSTS = 10;
const BURST_SIZE = 5;
const GOAL_MS = 50;

interface Target { file: string; text: string; large: boolean }

interface Series { file: string; lines: number; what: string; samples: number[] }

/** Where to insert a character inside a comment: after the `# ` of a comment line (the middle one for big files). */
function commentSpot(text: string, large: boolean): number {
  if (large) {
    const mid = text.indexOf('# ---- model', Math.floor(text.length / 2));
    if (mid >= 0) return mid + 2;
  }
  const m = /^#\s?/m.exec(text);
  if (!m) throw new Error('no comment line');
  return m.index + m[0].length;
}

/** The offset just past a decimal number that is a value (a param or an evolve time), not in a comment. */
function numberSpot(text: string, large: boolean): number {
  const from = large ? text.indexOf('\nparam J_', Math.floor(text.length / 2)) : 0;
  const re = /^(?!\s*#).*?(?<![\w.])(\d+\.\d+)(?![\w.])/gm;
  re.lastIndex = Math.max(0, from);
  const m = re.exec(text);
  if (!m) throw new Error('no decimal number');
  return m.index + m[0].length;
}

function lineCount(text: string): number {
  return text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
}

/**
 * `count` one-character edits at offset `at`, alternating insert/delete of `ch` (starting from the
 * text as it is); returns the latency of each. Leaves the text as it found it (an untimed delete
 * if the count is odd).
 */
async function timeEdits(client: LspClient, uri: string, doc: { text: string; version: number }, at: number, ch: string, count: number, errorsSeen: { n: number }): Promise<number[]> {
  const pos: Position = offsetToPosition(doc.text, at);
  const end: Position = { line: pos.line, character: pos.character + ch.length };
  const out: number[] = [];
  let inserted = false;
  const edit = async (): Promise<number> => {
    const change: TextDocumentContentChangeEvent = inserted ? { range: { start: pos, end }, text: '' } : { range: { start: pos, end: pos }, text: ch };
    inserted = !inserted;
    doc.text = applyChanges(doc.text, [change]);
    const version = ++doc.version;
    const wait = client.diagnosticsFor(uri, version, 120_000, client.published.length);
    const t0 = performance.now();
    await client.change(uri, version, [change]);
    const p = await wait;
    errorsSeen.n += p.diagnostics.filter((d) => d.severity === 1).length;
    return p.receivedAt - t0;
  };
  for (let k = 0; k < count; k++) out.push(await edit());
  if (inserted) await edit();
  return out;
}

async function timeHovers(client: LspClient, uri: string, positions: Position[], count: number): Promise<number[]> {
  const out: number[] = [];
  for (let k = 0; k < count; k++) {
    const t0 = performance.now();
    const h = await client.hover(uri, positions[k % positions.length]);
    out.push(performance.now() - t0);
    if (!h) throw new Error(`no hover at ${JSON.stringify(positions[k % positions.length])}`);
  }
  return out;
}

/** BURST_SIZE keystrokes written back-to-back; time until the diagnostics of the last one. */
async function timeBursts(client: LspClient, uri: string, doc: { text: string; version: number }, at: number, reps: number): Promise<{ samples: number[]; publishedPerBurst: number[] }> {
  const samples: number[] = [];
  const publishedPerBurst: number[] = [];
  for (let r = 0; r < reps; r++) {
    const start = offsetToPosition(doc.text, at);
    const since = client.published.length;
    const first = doc.version + 1;
    const t0 = performance.now();
    for (let k = 0; k < BURST_SIZE; k++) {
      const p = { line: start.line, character: start.character + k };
      const change = { range: { start: p, end: p }, text: 'x' };
      doc.text = applyChanges(doc.text, [change]);
      await client.change(uri, ++doc.version, [change]);
    }
    const last = await client.diagnosticsFor(uri, doc.version, 120_000, since);
    samples.push(last.receivedAt - t0);
    publishedPerBurst.push(client.published.slice(since).filter((p) => p.uri === uri && p.version! >= first).length);
    // Undo the burst (one change), and wait for it.
    const undo = { range: { start, end: { line: start.line, character: start.character + BURST_SIZE } }, text: '' };
    doc.text = applyChanges(doc.text, [undo]);
    const w = client.diagnosticsFor(uri, ++doc.version, 120_000, client.published.length);
    await client.change(uri, doc.version, [undo]);
    await w;
  }
  return { samples, publishedPerBurst };
}

/** Hover positions: a Pauli atom in a sum, a Hamiltonian name and a param use (middle of the file for the large one). */
function hoverSpots(text: string, large: boolean): Position[] {
  const base = large ? text.indexOf('\nhamiltonian H_', Math.floor(text.length / 2)) + 1 : text.indexOf('hamiltonian');
  const spots: number[] = [];
  const atom = /[XYZ]\[i\+1\]/g;
  atom.lastIndex = base;
  const a = atom.exec(text);
  if (a) spots.push(a.index);
  spots.push(base + 'hamiltonian '.length);
  const param = /\b(J(_\d+)?|t|g|hz(_\d+)?)\b/g;
  param.lastIndex = base;
  const m = param.exec(text);
  if (m) spots.push(m.index);
  return spots.map((o) => offsetToPosition(text, o));
}

export async function run(): Promise<BenchReport> {
  buildServer();
  const examples = readdirSync(join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.qham')).sort();
  const targets: Target[] = [
    { file: `generated-${LARGE_LINES}.qham`, text: generateLargeFile(LARGE_LINES), large: true },
    ...examples.map((f) => ({ file: `examples/${f}`, text: readFileSync(join(REPO_ROOT, 'examples', f), 'utf8'), large: false })),
  ];
  const series: Series[] = [];
  const notes: string[] = [];
  const errorsSeen = { n: 0 };
  let burstPublished: number[] = [];
  // QHAM_BENCH_COMPILE_ON_TYPE=0 measures the language features alone (no background compiles
  // competing for this 2-core machine's CPU); by default the server runs with its default settings.
  const compileOnType = process.env.QHAM_BENCH_COMPILE_ON_TYPE !== '0';
  const { client } = await LspClient.start({ initializationOptions: { compileOnType } });
  try {
    for (const t of targets) {
      const uri = `file:///bench/${t.file}`;
      const lines = lineCount(t.text);
      const doc = { text: t.text, version: 1 };
      const t0 = performance.now();
      const opened = await client.openAndWait(uri, doc.text, 1, 120_000);
      const openMs = performance.now() - t0;
      if (opened.some((d) => d.severity === 1)) throw new Error(`${t.file} has errors: ${JSON.stringify(opened.slice(0, 3))}`);
      series.push({ file: t.file, lines, what: 'didOpen → diagnostics (first)', samples: [openMs] });

      const c = commentSpot(doc.text, t.large);
      await timeEdits(client, uri, doc, c, 'x', WARMUP, errorsSeen);
      series.push({ file: t.file, lines, what: 'comment edit → diagnostics', samples: await timeEdits(client, uri, doc, c, 'x', EDITS, errorsSeen) });
      const v = numberSpot(doc.text, t.large);
      await timeEdits(client, uri, doc, v, '5', WARMUP, errorsSeen);
      series.push({ file: t.file, lines, what: 'value edit → diagnostics', samples: await timeEdits(client, uri, doc, v, '5', EDITS, errorsSeen) });
      if (doc.text !== t.text) throw new Error(`${t.file}: the edits did not restore the text`);

      series.push({ file: t.file, lines, what: 'hover (analysis cached)', samples: await timeHovers(client, uri, hoverSpots(doc.text, t.large), HOVERS) });

      if (t.large) {
        const b = await timeBursts(client, uri, doc, c, BURSTS);
        series.push({ file: t.file, lines, what: `burst of ${BURST_SIZE} keystrokes → last diagnostics`, samples: b.samples });
        burstPublished = b.publishedPerBurst;
      }
      await client.close(uri);
    }
    await client.shutdown();
  } finally {
    await client.dispose();
  }

  const rows = series.map((s) => [s.file, s.lines, s.what, s.samples.length, median(s.samples), percentile(s.samples, 90), percentile(s.samples, 99)]);
  const large = series.filter((s) => s.file.startsWith('generated') && s.what.includes('edit'));
  for (const s of large) {
    const m = median(s.samples);
    notes.push(`goal ≤ ${GOAL_MS} ms median on the ${LARGE_LINES}-line file, ${s.what}: ${m.toFixed(1)} ms — ${m <= GOAL_MS ? 'PASS' : 'FAIL'}`);
  }
  if (burstPublished.length) {
    notes.push(`bursts of ${BURST_SIZE} back-to-back keystrokes: publishDiagnostics per burst = ${burstPublished.join(', ')} (1 would mean superseded versions are skipped)`);
  }
  notes.push(`latency = client write of didChange → client receipt of publishDiagnostics for that version; ${WARMUP} warm-up edits per kind not counted; edits alternate insert/delete`);
  notes.push(errorsSeen.n === 0 ? 'every published version had 0 errors (edits kept the files valid)' : `WARNING: ${errorsSeen.n} errors were published during the edits`);
  return {
    name: compileOnType ? 'lsp-latency' : 'lsp-latency-no-compile',
    title: `LSP latency through dist/server.js over stdio (ms), compile on type ${compileOnType ? 'on' : 'off'}`,
    columns: ['file', 'lines', 'measurement', 'n', 'median', 'p90', 'p99'],
    rows,
    notes,
    data: { series: series.map((s) => ({ ...s, samples: s.samples.map((x) => Number(x.toFixed(3))) })) },
  };
}
