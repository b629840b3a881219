// `qham check` and `qham info` through the real bin, as a user runs them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';

const run = (...args: string[]) => spawnSync(process.execPath, ['bin/qham.js', ...args], { encoding: 'utf8' });
let dir = '';

before(() => {
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr);
  dir = mkdtempSync(join(tmpdir(), 'qham-cli-'));
});

test('qham check on clean examples: no output, exit 0', () => {
  const r = run('check', 'examples/xxz-20.qham', 'examples/ring-trotter.qham', 'examples/tfim-50.qham', 'examples/heisenberg-100.qham');
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(r.stdout, '');
});

test('qham check prints file:line:col: severity CODE: message (1-based) and exits 1 on errors', () => {
  const f = join(dir, 'bad.qham');
  writeFileSync(f, 'qubits 20\nparam J = 1\nhamiltonian H {\n  sum i in 0..n-1 { J * X[i] X[i+1] }\n}\n');
  const r = run('check', f);
  assert.equal(r.status, 1);
  assert.equal(r.stdout.trim(), `${f}:4:30: error QH302: \`X[i+1]\` with i = 19 is qubit 20; the register has qubits 0..19.`);
});

test('warnings alone exit 0', () => {
  const f = join(dir, 'warn.qham');
  writeFileSync(f, 'qubits 2\nhamiltonian H { Z[0] }\nstate s = zero\nevolve s under H for 0\n');
  const r = run('check', f);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /:4:22: warning QH604:/);
});

test('--set overrides a param; an unknown param is an error', () => {
  const f = join(dir, 'set.qham');
  writeFileSync(f, 'qubits 4\nparam k = 1\nhamiltonian H { sum i in 0..k { Z[i] } }\n');
  assert.equal(run('check', f, '--set', 'k=3').status, 0);
  const r = run('check', f, '--set', 'k=4');
  assert.equal(r.status, 1);
  assert.match(r.stdout, /QH302/);
  const u = run('check', f, '--set', 'nope=1');
  assert.equal(u.status, 1);
  assert.match(u.stdout, /no param `nope`/);
});

test('bad usage exits 3 with a message: unknown command, missing file, bad --set', () => {
  for (const args of [['frobnicate'], ['check'], ['check', join(dir, 'missing.qham')], ['check', 'examples/xxz-20.qham', '--set', 'J'], ['check', '--bogus', 'x']]) {
    const r = run(...args);
    assert.equal(r.status, 3, args.join(' '));
    assert.match(r.stderr, /^qham: /);
  }
});

test('qham info prints what a file defines', () => {
  const r = run('info', 'examples/xxz-20.qham');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /qubits +20/);
  assert.match(r.stdout, /hamiltonian +H: 73 terms, 2-local, nearest-neighbour chain/);
  assert.match(r.stdout, /evolve +shallow: psi0 under H for t = 1\.5/);
  assert.match(r.stdout, /evolve +baseline: .*method trotter, layers 12/);
});
