// OpenQASM 3 export: stdgates.inc names plus the built-ins U and gphase, so the file reproduces the
// circuit's state exactly, global phase included (Qiskit's conventions match OpenQASM 3's here).
import type { Circuit, Gate } from '../engine/circuit/gates';
import { checkCircuit, formatNumber } from './common';
import { type ExportHeader, renderHeader } from './header';

export interface Qasm3Options {
  /** Append `bit[n] c; c = measure q;` (off: the file describes the state, not an experiment). */
  measure?: boolean;
}

/** Our gate names are already the stdgates.inc names (and U is built in). */
function gateLine(g: Gate, k: number): string {
  const params = g.params.length > 0 ? `(${g.params.map((p, i) => formatNumber(p, `gate ${k} (${g.name}) parameter ${i}`)).join(', ')})` : '';
  return `${g.name}${params} ${g.qubits.map((q) => `q[${q}]`).join(', ')};`;
}

export function toQasm3(c: Circuit, header: ExportHeader, opts: Qasm3Options = {}): string {
  checkCircuit(c);
  const out: string[] = [renderHeader(header), 'OPENQASM 3.0;', 'include "stdgates.inc";', `qubit[${c.qubits}] q;`];
  const phase = c.globalPhase ?? 0;
  if (phase !== 0) out.push(`gphase(${formatNumber(phase, 'global phase')});`);
  c.gates.forEach((g, k) => out.push(gateLine(g, k)));
  if (opts.measure) out.push(`bit[${c.qubits}] c;`, 'c = measure q;');
  return `${out.join('\n')}\n`;
}
