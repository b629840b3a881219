// `npm run fuzz [cases] [seed]`: the full fuzzing campaign over the examples. Failing inputs are
// saved to test/fuzz/regressions/ (which the tests then replay); exits 1 if any case failed.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fuzz } from '../test/fuzz/fuzzer';

const cases = Number(process.argv[2] ?? 10_000);
const seed = Number(process.argv[3] ?? Date.now() % 1_000_000);
const seeds = readdirSync('examples').filter((f) => f.endsWith('.qham')).map((f) => readFileSync(join('examples', f), 'utf8'));
const r = fuzz(seeds, cases, seed);
console.log(`fuzz: ${r.cases} cases, seed ${seed}, ${r.seconds.toFixed(1)} s, ${r.failures.length} failures`);
if (r.failures.length) {
  const dir = join('test', 'fuzz', 'regressions');
  mkdirSync(dir, { recursive: true });
  r.failures.slice(0, 20).forEach((f, i) => {
    const file = join(dir, `seed${seed}-${i}.qham`);
    writeFileSync(file, f.input);
    console.log(`  ${f.what}: ${f.detail.split('\n')[0]} → ${file}`);
  });
  process.exit(1);
}
