// Atomic writes: the target is replaced whole, parents are created, no temp files are left behind.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { writeFileAtomic } from '../../server/src/export/write-atomic';

const root = mkdtempSync(join(tmpdir(), 'qham-atomic-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('creates parent directories and writes the text', async () => {
  const path = join(root, 'a', 'b', 'c', 'out.qasm');
  await writeFileAtomic(path, 'OPENQASM 3.0;\n');
  assert.equal(readFileSync(path, 'utf8'), 'OPENQASM 3.0;\n');
  assert.deepEqual(readdirSync(join(root, 'a', 'b', 'c')), ['out.qasm']);
});

test('replaces an existing file, keeps its permissions, leaves no temp files', async () => {
  const dir = join(root, 'replace');
  mkdirSync(dir);
  const path = join(dir, 'out.qasm');
  writeFileSync(path, 'old contents that are longer than the new ones\n');
  if (process.platform !== 'win32') chmodSync(path, 0o640);
  await writeFileAtomic(path, 'new\n');
  assert.equal(readFileSync(path, 'utf8'), 'new\n');
  if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o640);
  assert.deepEqual(readdirSync(dir), ['out.qasm']);
});

test('concurrent writes to one target: the result is one whole text, no temp files', async () => {
  const dir = join(root, 'race');
  const path = join(dir, 'out.json');
  const texts = Array.from({ length: 20 }, (_, k) => `${String(k).repeat(10_000)}\n`);
  await Promise.all(texts.map((t) => writeFileAtomic(path, t)));
  assert.ok(texts.includes(readFileSync(path, 'utf8')));
  assert.deepEqual(readdirSync(dir), ['out.json']);
});

test('writing through a symlink updates the linked file and keeps the link', { skip: process.platform === 'win32' }, async () => {
  const dir = join(root, 'link');
  mkdirSync(dir);
  writeFileSync(join(dir, 'real.qasm'), 'old\n');
  symlinkSync('real.qasm', join(dir, 'alias.qasm'));
  await writeFileAtomic(join(dir, 'alias.qasm'), 'new\n');
  assert.equal(readFileSync(join(dir, 'real.qasm'), 'utf8'), 'new\n');
  assert.equal(readFileSync(join(dir, 'alias.qasm'), 'utf8'), 'new\n');
  assert.deepEqual(readdirSync(dir).sort(), ['alias.qasm', 'real.qasm']);
});

test('a failed write throws a clear error and cleans its temp file', async () => {
  const dir = join(root, 'fail');
  const target = join(dir, 'out.qasm');
  mkdirSync(target, { recursive: true }); // a directory where the file should go: rename fails
  await assert.rejects(writeFileAtomic(target, 'x'), (e: Error) => e.message.startsWith(`could not write ${target}: `));
  assert.deepEqual(readdirSync(dir), ['out.qasm']);
  // A parent that is a file: mkdir fails before any temp file exists.
  writeFileSync(join(root, 'plain'), '');
  await assert.rejects(writeFileAtomic(join(root, 'plain', 'x.qasm'), 'x'), /could not write .*plain.*x\.qasm/);
});
