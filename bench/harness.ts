// Shared shape of a benchmark: each bench/*.bench.ts exports `run()` returning a BenchReport.
// bench/run.ts prints every report as a table and writes it to bench/results/<name>.json.
export interface BenchReport {
  /** File stem under bench/results/. */
  name: string;
  title: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  /** Free-form notes printed under the table (baselines missing, goals, ...). */
  notes?: string[];
  /** Extra machine-readable data written beside the rows. */
  data?: unknown;
}

export function formatTable(r: BenchReport): string {
  const cells = [r.columns, ...r.rows.map((row) => row.map(fmt))];
  const widths = r.columns.map((_, i) => Math.max(...cells.map((row) => String(row[i] ?? '').length)));
  const line = (row: Array<string | number>) => row.map((c, i) => String(c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  const out = [`## ${r.title}`, line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)];
  for (const n of r.notes ?? []) out.push(`  note: ${n}`);
  return out.join('\n');
}

function fmt(v: string | number): string {
  if (typeof v === 'string') return v;
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3);
  return v.toPrecision(4);
}

/** Median of a list of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/**
 * Median milliseconds of `fn` after a warm-up (at least 5 calls or 250 ms, so V8 has optimised it),
 * over at least `minReps` calls and `minMs` milliseconds.
 */
export function timeIt(fn: () => void, minReps = 5, minMs = 300, maxReps = 200): number {
  const w0 = performance.now();
  for (let i = 0; i < 50 && (i < 5 || performance.now() - w0 < 250); i++) fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < maxReps && (times.length < minReps || performance.now() - start < minMs)) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}
