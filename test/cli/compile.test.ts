// `qham compile` through the real bin: exit codes, the result table, and every export read back and
// checked against the exact evolution (the acceptance check for examples/ring-trotter.qham).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { gate } from '../../server/src/engine/circuit/gates';
import { evolveExact } from '../../server/src/engine/sim/exact';
import { applyGate, fidelity, simulate, zeroState } from '../../server/src/engine/sim/statevector';
import type { ResultDocument } from '../../server/src/export/result-types';
import { analyze } from '../../server/src/lang/analyze';
import { ProgressLine, bar, describeProgress } from '../../server/src/cli/progress';
import { formatError, formatFidelity, formatSeconds } from '../../server/src/cli/table';
import { perBlockPath } from '../../server/src/cli/compile';
import { readQasm } from '../helpers/qasm-reader';

const run = (...args: string[]) => spawnSync(process.execPath, ['bin/qham.js', ...args], { encoding: 'utf8', timeout: 60_000 });
let dir = '';

const XXZ6 = `# 6-qubit XXZ chain
qubits 6
param t = 0.5

hamiltonian H {
  sum i in 0..n-2 { X[i] X[i+1] + Y[i] Y[i+1] + 0.5 * Z[i] Z[i+1] }
}

state psi0 = neel

evolve psi0 under H for t as trot {
  method = trotter
  layers = 4
}

evolve psi0 under H for t as shallow {
  method   = aqc
  layers   = 1
  maxiter  = 30
  fidelity = 0.97
}
`;

const HARD = `qubits 6
hamiltonian H {
  sum i in 0..n-2 { X[i] X[i+1] + Y[i] Y[i+1] + 0.5 * Z[i] Z[i+1] }
}
state psi0 = neel
evolve psi0 under H for 1.0 as hard {
  method   = aqc
  layers   = 1
  maxiter  = 3
  fidelity = 0.999999
}
`;

let xxz6 = '';
let hard = '';

before(() => {
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr);
  dir = mkdtempSync(join(tmpdir(), 'qham-compile-'));
  xxz6 = join(dir, 'xxz6.qham');
  writeFileSync(xxz6, XXZ6);
  hard = join(dir, 'hard.qham');
  writeFileSync(hard, HARD);
});

/** exp(-iHt)|state⟩ of the named block, built independently of the compiler from the source text. */
function exactState(source: string, block: string, overrides: ReadonlyMap<string, number> = new Map()) {
  const a = analyze(source, { overrides });
  const b = a.program.evolves.find((e) => e.name === block);
  assert.ok(b, `block ${block}`);
  const s = zeroState(b.hamiltonian.sum.qubits);
  [...b.state.labels].forEach((l, q) => {
    if (l === '1') applyGate(s, gate('x', [q]));
    else if (l === '+') applyGate(s, gate('h', [q]));
  });
  return evolveExact(b.hamiltonian.sum, s, b.time);
}

/** Reads a QASM file strictly, simulates it, and checks its exact fidelity against the JSON's claim. */
function checkQasm(path: string, version: 2 | 3, exact: ReturnType<typeof exactState>, reported: { fidelity?: number; targetError?: number }, block: string) {
  const text = readFileSync(path, 'utf8');
  const prog = readQasm(text);
  assert.equal(prog.version, version);
  assert.equal(prog.qubits, exact.qubits);
  assert.ok(prog.comments.includes(`block: ${block}`), 'header names the block');
  assert.ok(prog.comments.some((c) => c.startsWith('fidelity: ')), 'header records the fidelity');
  assert.ok(prog.comments.some((c) => c.startsWith('target error: ')), 'header records the target error');
  assert.ok(prog.comments.some((c) => /^source: .*\.qham$/.test(c)), 'header records the source');
  const state = simulate({ qubits: prog.qubits, gates: prog.gates, globalPhase: prog.globalPhase });
  const f = fidelity(exact, state);
  assert.ok(reported.fidelity !== undefined && reported.targetError !== undefined);
  const tol = 2 * Math.sqrt(reported.targetError) + 1e-6;
  assert.ok(Math.abs(f - reported.fidelity) <= tol, `${path}: exact fidelity ${f} vs reported ${reported.fidelity} (tolerance ${tol})`);
  return f;
}

test('ring-trotter: table, QASM 3/2, JSON and SVG all written, and the QASM states match the reported fidelity', () => {
  const out = join(dir, 'ring', 'nested');
  const r = run('compile', 'examples/ring-trotter.qham', '--qasm', join(out, 'ring.qasm'), '--qasm2', join(out, 'ring2.qasm'), '--json', join(out, 'ring.json'), '--svg', join(out, 'ring.svg'));
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(r.stderr, '', 'no progress or warnings off a terminal');
  assert.match(r.stdout, /^evolve1 {2}goal reached$/m);
  assert.match(r.stdout, /^ {2}method +trotter$/m);
  assert.match(r.stdout, /^ {2}layers +8$/m);
  assert.match(r.stdout, /^ {2}fidelity +0\.\d{6} {2}\(vs target; goal 0\.99\)$/m);
  assert.match(r.stdout, /^ {2}target error +\d\.\de-\d+$/m);
  assert.match(r.stdout, /^ {2}CX count +\d+$/m);
  assert.match(r.stdout, /^ {2}time +\d+\.\d s$/m);

  const doc = JSON.parse(readFileSync(join(out, 'ring.json'), 'utf8')) as ResultDocument;
  assert.equal(doc.format, 'qham-result');
  assert.equal(doc.version, 1);
  assert.equal(doc.source, 'examples/ring-trotter.qham');
  assert.equal(doc.blocks.length, 1);
  const b = doc.blocks[0];
  assert.equal(b.name, 'evolve1');
  assert.equal(b.method, 'trotter');
  assert.deepEqual(b.settings, { method: 'trotter', layers: 8, order: 2, fidelity: 0.99, bond: 64, targetSteps: 'auto', maxiter: 500, seed: 0, time: 0.8 });
  for (const k of ['fidelity', 'targetError', 'depth', 'twoQubitDepth', 'cxCount', 'seconds'] as const) assert.equal(typeof b.result[k], 'number', k);
  assert.equal(b.circuit.qubits, 12);
  assert.ok(b.circuit.gates.length > 0);
  assert.match(r.stdout, new RegExp(`fidelity +${b.result.fidelity!.toFixed(6)} `), 'the table shows the JSON fidelity');

  const exact = exactState(readFileSync('examples/ring-trotter.qham', 'utf8'), 'evolve1');
  const f3 = checkQasm(join(out, 'ring.qasm'), 3, exact, b.result, 'evolve1');
  const f2 = checkQasm(join(out, 'ring2.qasm'), 2, exact, b.result, 'evolve1');
  assert.ok(Math.abs(f3 - f2) < 1e-9, 'QASM 2 and 3 prepare the same state up to phase');

  const svg = readFileSync(join(out, 'ring.svg'), 'utf8');
  assert.ok(svg.replace(/^<!--.*-->\n/, '').startsWith('<svg'), 'an SVG document');
  const labels = [...svg.matchAll(/text-anchor="end" dominant-baseline="central">(q\d+)<\/text>/g)].map((m) => m[1]);
  assert.deepEqual(labels, Array.from({ length: 12 }, (_, i) => `q${i}`));
  assert.match(svg, />evolve1</, 'titled by the block name');
  assert.deepEqual(readdirSync(out).filter((f) => f.endsWith('.tmp')), [], 'no temp files left behind');
});

test('several blocks: one QASM/SVG file per block (-BLOCK before the extension), one JSON with every block, states verified', () => {
  const out = join(dir, 'multi');
  const r = run('compile', xxz6, '--qasm', join(out, 'c.qasm'), '--qasm2', join(out, 'c.qasm2'), '--svg', join(out, 'c.svg'), '--json', join(out, 'r.json'));
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^trot {2}goal reached$/m);
  assert.match(r.stdout, /^shallow {2}goal reached$/m);
  // The aqc table carries the Trotter comparison.
  assert.match(r.stdout, /Trotter, same 2q depth +fidelity 0\.\d{6}/);
  assert.match(r.stdout, /Trotter, same fidelity +\d+ steps?, 2q depth \d+/);
  assert.match(r.stdout, /2q depth ratio +\d+\.\d× /);
  assert.match(r.stdout, /^ {2}parameters +\d+$/m);
  assert.match(r.stdout, /^ {2}iterations +\d+$/m);
  for (const f of ['c-trot.qasm', 'c-shallow.qasm', 'c-trot.qasm2', 'c-shallow.qasm2', 'c-trot.svg', 'c-shallow.svg', 'r.json']) assert.ok(existsSync(join(out, f)), f);
  assert.ok(!existsSync(join(out, 'c.qasm')));

  const doc = JSON.parse(readFileSync(join(out, 'r.json'), 'utf8')) as ResultDocument;
  assert.deepEqual(doc.blocks.map((b) => [b.name, b.method]), [['trot', 'trotter'], ['shallow', 'aqc']]);
  const aqc = doc.blocks[1];
  assert.equal(aqc.settings.layers, 1);
  assert.equal(aqc.settings.maxiter, 30);
  assert.equal(aqc.settings.time, 0.5);
  assert.equal(typeof aqc.result.parameters, 'number');
  assert.equal(typeof aqc.result.iterations, 'number');
  assert.ok(Array.isArray(aqc.result.trace));
  assert.equal(typeof aqc.result.trotter?.sameDepthFidelity, 'number');
  for (const b of doc.blocks) {
    const exact = exactState(XXZ6, b.name);
    checkQasm(join(out, `c-${b.name}.qasm`), 3, exact, b.result, b.name);
    checkQasm(join(out, `c-${b.name}.qasm2`), 2, exact, b.result, b.name);
  }
});

test('--block by name or 1-based index; an unknown block exits 3 and lists the blocks', () => {
  const byName = run('compile', xxz6, '--block', 'shallow', '--json', join(dir, 'sel', 'a.json'), '--qasm', join(dir, 'sel', 'a.qasm'));
  assert.equal(byName.status, 0, byName.stderr);
  assert.match(byName.stdout, /^shallow /m);
  assert.doesNotMatch(byName.stdout, /^trot /m);
  const doc = JSON.parse(readFileSync(join(dir, 'sel', 'a.json'), 'utf8')) as ResultDocument;
  assert.deepEqual(doc.blocks.map((b) => b.name), ['shallow']);
  assert.ok(existsSync(join(dir, 'sel', 'a.qasm')), 'one block: the path is used as given');

  const byIndex = run('compile', xxz6, '--block', '1');
  assert.equal(byIndex.status, 0, byIndex.stderr);
  assert.match(byIndex.stdout, /^trot /m);
  assert.doesNotMatch(byIndex.stdout, /^shallow /m);

  for (const bad of ['nope', '3', '0']) {
    const u = run('compile', xxz6, '--block', bad);
    assert.equal(u.status, 3, bad);
    assert.match(u.stderr, /^qham: /);
    assert.match(u.stderr, /trot/);
    assert.match(u.stderr, /shallow/);
    assert.equal(u.stdout, '');
  }
});

test('--set t=0.4 changes the evolution time and the result', () => {
  const a = run('compile', xxz6, '--block', 'trot', '--json', join(dir, 'set', 'a.json'), '--qasm', join(dir, 'set', 'a.qasm'));
  const b = run('compile', xxz6, '--block', 'trot', '--set', 't=0.4', '--json', join(dir, 'set', 'b.json'), '--qasm', join(dir, 'set', 'b.qasm'));
  assert.equal(a.status, 0, a.stderr);
  assert.equal(b.status, 0, b.stderr);
  const da = JSON.parse(readFileSync(join(dir, 'set', 'a.json'), 'utf8')) as ResultDocument;
  const db = JSON.parse(readFileSync(join(dir, 'set', 'b.json'), 'utf8')) as ResultDocument;
  assert.equal(da.blocks[0].settings.time, 0.5);
  assert.equal(db.blocks[0].settings.time, 0.4);
  assert.notEqual(da.blocks[0].result.fidelity, db.blocks[0].result.fidelity);
  assert.notDeepEqual(da.blocks[0].circuit.gates, db.blocks[0].circuit.gates);
  // And the circuit is the t = 0.4 evolution.
  checkQasm(join(dir, 'set', 'b.qasm'), 3, exactState(XXZ6, 'trot', new Map([['t', 0.4]])), db.blocks[0].result, 'trot');
  const u = run('compile', xxz6, '--set', 'nope=1');
  assert.equal(u.status, 1);
  assert.match(u.stdout, /no param `nope`/);
});

test('a goal out of reach exits 2, still prints the table (marked) and writes the outputs', () => {
  const r = run('compile', hard, '--json', join(dir, 'hard', 'h.json'), '--qasm', join(dir, 'hard', 'h.qasm'));
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stdout, /^hard {2}GOAL NOT REACHED \(fidelity 0\.\d{6} < goal 0\.999999\)$/m);
  assert.match(r.stdout, /^ {2}note: /m);
  assert.match(r.stderr, /goal not reached for block hard/);
  const doc = JSON.parse(readFileSync(join(dir, 'hard', 'h.json'), 'utf8')) as ResultDocument;
  assert.ok(doc.blocks[0].result.fidelity! < 0.999999);
  assert.ok(existsSync(join(dir, 'hard', 'h.qasm')));
});

test('a file with errors: diagnostics as qham check prints them, nothing compiled, exit 1', () => {
  const f = join(dir, 'bad.qham');
  writeFileSync(f, 'qubits 20\nparam J = 1\nhamiltonian H {\n  sum i in 0..n-1 { J * X[i] X[i+1] }\n}\nstate s = zero\nevolve s under H for 1 { method = trotter }\n');
  const out = join(dir, 'bad-out', 'x.qasm');
  const r = run('compile', f, '--qasm', out);
  assert.equal(r.status, 1);
  assert.match(r.stdout, new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:30: error QH302: `, 'm'));
  assert.ok(!existsSync(out));
});

test('bad usage exits 3 with a message', () => {
  const cases: string[][] = [
    ['compile'],
    ['compile', xxz6, xxz6],
    ['compile', join(dir, 'missing.qham')],
    ['compile', xxz6, '--bogus'],
    ['compile', xxz6, '--qasm'],
    ['compile', xxz6, '--block', 'trot', '--qasm', xxz6],
    ['compile', xxz6, '--block', 'trot', '--qasm', join(dir, 'same.txt'), '--qasm2', join(dir, 'same.txt')],
    ['compile', xxz6, '--json', join(dir, 'a.json'), '--json', join(dir, 'b.json')],
    ['compile', xxz6, '--set', 't'],
  ];
  for (const args of cases) {
    const r = run(...args);
    assert.equal(r.status, 3, args.join(' ') + '\n' + r.stderr);
    assert.match(r.stderr, /^qham: /);
  }
  assert.equal(readFileSync(xxz6, 'utf8'), XXZ6, 'the source was not overwritten');
});

test('check and info still work, and help documents compile', () => {
  assert.equal(run('check', 'examples/ring-trotter.qham').status, 0);
  assert.match(run('info', 'examples/ring-trotter.qham').stdout, /evolve +evolve1/);
  const h = run('help');
  assert.equal(h.status, 0);
  assert.match(h.stdout, /qham compile FILE/);
  assert.match(h.stdout, /--qasm2 OUT/);
  assert.match(h.stdout, /-BLOCK before the extension/);
});

test('Ctrl+C during a compile cancels cleanly: "cancelled", exit 130, no output written', async () => {
  const json = join(dir, 'cancel', 'h.json');
  const child = spawn(process.execPath, ['bin/qham.js', 'compile', 'examples/heisenberg-100.qham', '--json', json]);
  let stdout = '', stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const started = Date.now();
  const timer = setTimeout(() => child.kill('SIGINT'), 1500);
  const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
  clearTimeout(timer);
  assert.equal(code, 130, stdout + stderr);
  assert.equal(stderr.trim(), 'cancelled');
  assert.ok(Date.now() - started < 10_000, 'stops promptly');
  assert.ok(!existsSync(json));
});

test('progress line: drawn on a TTY, cleared when done; nothing when disabled', () => {
  const writes: string[] = [];
  const stream = { isTTY: true, columns: 200, write: (s: string) => { writes.push(s); return true; } } as unknown as NodeJS.WriteStream;
  const p = new ProgressLine(stream, true);
  p.start('shallow (aqc)');
  p.update({ phase: 'target', message: 'target: TEBD 32 steps', steps: 32, step: 8 });
  p.clear();
  p.start('shallow (aqc)');
  p.update({ phase: 'optimize', layers: 2, iteration: 25, fidelity: 0.9934123, gradientNorm: 1e-3, maxIterations: 100 });
  p.clear();
  const all = writes.join('');
  assert.match(all, /shallow \(aqc\)/);
  assert.match(all, /optimize \[█████░{15}\] iteration 25\/100 {2}layers 2 {2}F 0\.993412/);
  assert.ok(all.endsWith('\r\x1b[K'), 'the line is cleared at the end');
  assert.ok(!all.includes('\n'), 'never scrolls');

  const quiet: string[] = [];
  const off = new ProgressLine({ isTTY: true, write: (s: string) => { quiet.push(s); return true; } } as unknown as NodeJS.WriteStream, false);
  off.start('x');
  off.update('y');
  off.clear();
  assert.deepEqual(quiet, []);

  assert.equal(bar(0, 10, 4), '[░░░░]');
  assert.equal(bar(20, 10, 4), '[████]');
  assert.match(describeProgress({ phase: 'trotter', message: 'Trotter 3 steps: F = 0.9', steps: 3 }), /Trotter 3 steps/);
});

test('number formatting and per-block file names', () => {
  assert.equal(formatFidelity(0.99341234), '0.993412');
  assert.equal(formatError(3.2e-7), '3.2e-7');
  assert.equal(formatError(0), '0');
  assert.equal(formatSeconds(3.14159), '3.1 s');
  assert.equal(perBlockPath('out/c.qasm', 'shallow'), 'out/c-shallow.qasm');
  assert.equal(perBlockPath('out.d/c', 'b'), 'out.d/c-b');
  assert.equal(perBlockPath('.hidden', 'b'), '.hidden-b');
});
