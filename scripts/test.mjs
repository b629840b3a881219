// Runs every test file under test/ with Node's built-in runner (TypeScript through tsx).
// Set QHAM_SKIP_E2E=1 to leave out the real-VS-Code test (it installs code-server).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'fixtures' ? [] : find(p);
    return p.endsWith('.test.ts') ? [p] : [];
  });
}
let files = find('test').sort();
const only = process.argv.slice(2);
if (only.length) files = files.filter((f) => only.some((o) => f.includes(o)));
if (process.env.QHAM_SKIP_E2E) files = files.filter((f) => !f.includes('e2e'));
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
