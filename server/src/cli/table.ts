// The result table `qham compile` prints per block: the headline numbers formatted for people.
import type { CompileResult } from '../engine/compile/types';
import type { EvolveOptions } from '../model/program';
import { paint } from './format';

/** Fidelity with 6 decimals (`0.993412`). */
export function formatFidelity(f: number | undefined): string {
  return f === undefined || !Number.isFinite(f) ? '—' : f.toFixed(6);
}

/** A small error in short scientific notation (`3.2e-7`); `0` stays `0`. */
export function formatError(e: number | undefined): string {
  if (e === undefined || !Number.isFinite(e)) return '—';
  if (e === 0) return '0';
  return e.toExponential(1).replace('e+', 'e');
}

/** Seconds with one decimal (`3.1 s`). */
export function formatSeconds(s: number | undefined): string {
  return s === undefined || !Number.isFinite(s) ? '—' : `${s.toFixed(1)} s`;
}

const int = (n: number | undefined): string => (n === undefined || !Number.isFinite(n) ? '—' : String(Math.round(n)));

export interface TableOptions {
  /** ANSI colour for the goal marker. */
  colour?: boolean;
}

/** Lines of the table for one compiled block (no trailing blank line). */
export function resultTable(r: CompileResult, options: Pick<EvolveOptions, 'fidelity' | 'layers'>, opts: TableOptions = {}): string[] {
  const n = r.numbers;
  const colour = opts.colour ?? false;
  const rows: Array<[string, string]> = [];
  const layers = n.layers ?? (typeof options.layers === 'number' ? options.layers : undefined);
  const layersText = layers === undefined ? '—' : `${layers}${options.layers === 'auto' ? ' (auto)' : ''}`;
  rows.push(['method', r.method]);
  rows.push(['layers', layersText]);
  rows.push(['fidelity', `${formatFidelity(n.fidelity)}  (vs target; goal ${options.fidelity})`]);
  rows.push(['target error', formatError(n.targetError)]);
  rows.push(['depth', int(n.depth)]);
  rows.push(['2q depth', int(n.twoQubitDepth)]);
  rows.push(['CX count', int(n.cxCount)]);
  rows.push(['parameters', int(n.parameters)]);
  rows.push(['iterations', int(n.iterations)]);
  rows.push(['time', formatSeconds(n.seconds)]);
  if (r.method === 'aqc') {
    const t = n.trotter ?? {};
    rows.push(['Trotter, same 2q depth', t.sameDepthFidelity === undefined ? '—' : `fidelity ${formatFidelity(t.sameDepthFidelity)}`]);
    rows.push(['Trotter, same fidelity', t.stepsForSameFidelity === undefined
      ? 'not reached within the search limit'
      : `${t.stepsForSameFidelity} step${t.stepsForSameFidelity === 1 ? '' : 's'}, 2q depth ${int(t.twoQubitDepth)}`]);
    rows.push(['2q depth ratio', t.depthRatio === undefined || !Number.isFinite(t.depthRatio) ? '—' : `${t.depthRatio.toFixed(1)}× (Trotter / this circuit)`]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  const status = r.goalReached
    ? paint(colour, 32, 'goal reached')
    : paint(colour, 31, `GOAL NOT REACHED (fidelity ${formatFidelity(n.fidelity)} < goal ${options.fidelity})`);
  const lines = [`${paint(colour, 1, r.block)}  ${status}`];
  for (const [k, v] of rows) lines.push(`  ${k.padEnd(width)}  ${v}`);
  for (const note of r.notes) lines.push(`  note: ${note}`);
  return lines;
}
