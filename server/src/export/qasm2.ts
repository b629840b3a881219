// OpenQASM 2 export limited to the 23 gates of the original qelib1.inc, the set every QASM 2 tool
// (and Qiskit's default loader) knows. QASM 2 cannot state a global phase, so the phase the file
// leaves out is recorded in the header instead.
import type { Circuit, Gate } from '../engine/circuit/gates';
import { checkCircuit, formatNumber } from './common';
import { type ExportHeader, renderHeader } from './header';

export interface Qasm2Options {
  /** Append `creg c[n]; measure q -> c;`. */
  measure?: boolean;
}

/** sx = e^{iπ/4}·(sdg·h·sdg): the sequence is Rx(π/2), sx carries the extra phase. */
const SX_PHASE = Math.PI / 4;

interface Emitted {
  lines: string[];
  /** Phase φ with model gate = e^{iφ}·emitted gates. */
  phase: number;
}

function emit(g: Gate, k: number): Emitted {
  const q = g.qubits.map((i) => `q[${i}]`);
  const num = (p: number, i: number) => formatNumber(p, `gate ${k} (${g.name}) parameter ${i}`);
  const call = (name: string, params: readonly number[], qs: readonly string[]) =>
    `${name}${params.length > 0 ? `(${params.map(num).join(',')})` : ''} ${qs.join(',')};`;
  switch (g.name) {
    case 'U': return { lines: [call('u3', g.params, q)], phase: 0 }; // Qiskit's u3 is exactly U
    case 'p': return { lines: [call('u1', g.params, q)], phase: 0 }; // u1(λ) = diag(1, e^{iλ}) = p(λ)
    case 'sx': return { lines: [`sdg ${q[0]};`, `h ${q[0]};`, `sdg ${q[0]};`], phase: SX_PHASE };
    case 'swap': {
      const [a, b] = q;
      return { lines: [`cx ${a},${b};`, `cx ${b},${a};`, `cx ${a},${b};`], phase: 0 };
    }
    default: return { lines: [call(g.name, g.params, q)], phase: 0 };
  }
}

/** Reduces to (-π, π] so the header shows a readable phase. */
function wrapPhase(x: number): number {
  const t = x - 2 * Math.PI * Math.round(x / (2 * Math.PI));
  return t <= -Math.PI ? t + 2 * Math.PI : t;
}

export function toQasm2(c: Circuit, header: ExportHeader, opts: Qasm2Options = {}): string {
  checkCircuit(c);
  const body: string[] = [];
  let phase = c.globalPhase ?? 0;
  c.gates.forEach((g, k) => {
    const e = emit(g, k);
    body.push(...e.lines);
    phase += e.phase;
  });
  const phi = wrapPhase(phase);
  const note = [
    `global phase: ${formatNumber(phi, 'global phase')}`,
    'OpenQASM 2 has no global phase: the circuit equals e^{i·(global phase)} times this file (Qiskit gate definitions).',
  ];
  const out = [renderHeader(header, note), 'OPENQASM 2.0;', 'include "qelib1.inc";', `qreg q[${c.qubits}];`, ...body];
  if (opts.measure) out.push(`creg c[${c.qubits}];`, 'measure q -> c;');
  return `${out.join('\n')}\n`;
}
