// `npm run bench [filter]`: runs every bench/*.bench.ts (or those whose name contains a filter),
// prints a table per benchmark and writes bench/results/<name>.json.
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import os from 'node:os';
import { formatTable, type BenchReport } from './harness';

const dir = __dirname;
const filters = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort()
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
mkdirSync(join(dir, 'results'), { recursive: true });
const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
console.log(`QHam benchmarks — ${machine.cpus} × ${machine.cpu}, ${machine.memGiB} GiB, Node ${machine.node}\n`);
async function main(): Promise<void> {
for (const f of files) {
  const mod = await import(pathToFileURL(join(dir, f)).href);
  const reports: BenchReport[] = [].concat(await mod.run());
  for (const r of reports) {
    console.log(formatTable(r) + '\n');
    writeFileSync(join(dir, 'results', `${r.name}.json`), JSON.stringify({ ...r, machine, date: new Date().toISOString() }, null, 2) + '\n');
  }
}
}
main().catch((e) => { console.error(e); process.exit(1); });
