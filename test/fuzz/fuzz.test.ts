// A fixed, seeded slice of the fuzzer (npm run fuzz runs the full campaign) and its regressions.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkText, fuzz, mulberry } from './fuzzer';

const seeds = readdirSync('examples').filter((f) => f.endsWith('.qham')).map((f) => readFileSync(join('examples', f), 'utf8'));

test('a seeded slice of 400 mutated files: no throw, no hang, every range inside the document', () => {
  const r = fuzz(seeds, 400, 20261129);
  assert.deepEqual(r.failures.map((f) => `${f.what}: ${f.detail}\n--- input ---\n${f.input}`), []);
});

test('regressions found by the fuzzer stay fixed', () => {
  const dir = join('test', 'fuzz', 'regressions');
  let files: string[] = [];
  try { files = readdirSync(dir).filter((f) => f.endsWith('.qham')); } catch { /* none yet */ }
  for (const f of files) {
    const v = checkText(readFileSync(join(dir, f), 'utf8'), mulberry(1));
    assert.equal(v, undefined, `${f}: ${v?.what} ${v?.detail}`);
  }
});
