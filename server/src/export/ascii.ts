// A monospace preview of a circuit for hovers: the first qubits and columns, one text row per qubit.
import type { Circuit, Gate } from '../engine/circuit/gates';

export interface AsciiOptions {
  maxQubits?: number;
  maxColumns?: number;
}

const LABEL: Partial<Record<string, string>> = { rx: 'Rx', ry: 'Ry', rz: 'Rz', U: 'U', h: 'H', x: 'X', y: 'Y', z: 'Z', s: 'S', sdg: 'S†', t: 'T', tdg: 'T†', sx: '√X', p: 'P' };

/** ASAP columns; each cell is 3 characters wide. */
export function toAscii(c: Circuit, o: AsciiOptions = {}): string {
  const nq = Math.min(c.qubits, o.maxQubits ?? 8);
  const maxCols = o.maxColumns ?? 24;
  const level = new Int32Array(c.qubits);
  const columns: Gate[][] = [];
  for (const g of c.gates) {
    const lo = Math.min(...g.qubits), hi = Math.max(...g.qubits);
    let col = 0;
    for (let q = lo; q <= hi; q++) col = Math.max(col, level[q]);
    for (let q = lo; q <= hi; q++) level[q] = col + 1;
    (columns[col] ??= []).push(g);
  }
  const shown = columns.slice(0, maxCols);
  const rows = Array.from({ length: nq }, () => [] as string[]);
  for (const col of shown) {
    const cell = Array.from({ length: nq }, () => '───');
    const through = new Array<boolean>(nq).fill(false);
    for (const g of col) {
      if (g.qubits.length === 1) {
        if (g.qubits[0] < nq) cell[g.qubits[0]] = (LABEL[g.name] ?? g.name).padEnd(2, '─').slice(0, 2).padStart(3, '─');
        continue;
      }
      const [a, b] = g.qubits;
      const mark = (q: number, s: string) => { if (q < nq) cell[q] = s; };
      if (g.name === 'cx') { mark(a, '─●─'); mark(b, '─⊕─'); }
      else if (g.name === 'cz') { mark(a, '─●─'); mark(b, '─●─'); }
      else if (g.name === 'swap') { mark(a, '─×─'); mark(b, '─×─'); }
      else { mark(a, '─●─'); mark(b, `─${g.name[1] ?? '?'}─`); }
      for (let q = Math.min(a, b) + 1; q < Math.max(a, b) && q < nq; q++) through[q] = true;
    }
    for (let q = 0; q < nq; q++) rows[q].push(through[q] && cell[q] === '───' ? '─│─' : cell[q]);
  }
  const width = String(c.qubits - 1).length;
  const lines = rows.map((r, q) => `q${String(q).padStart(width)} ${r.join('')}${columns.length > maxCols ? ' …' : ''}`);
  if (c.qubits > nq) lines.push(`… ${c.qubits - nq} more qubits`);
  if (columns.length > maxCols) lines.push(`… ${columns.length - maxCols} more columns (${c.gates.length} gates)`);
  return lines.join('\n');
}
