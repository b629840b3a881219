// Circuit statistics: depth, two-qubit depth, CX count, gate counts.
import type { Circuit } from './gates';

export interface CircuitStats {
  gates: number;
  depth: number;
  twoQubitDepth: number;
  cxCount: number;
  twoQubitCount: number;
  counts: Record<string, number>;
}

export function circuitStats(c: Circuit): CircuitStats {
  const level = new Int32Array(c.qubits);
  const level2 = new Int32Array(c.qubits);
  let depth = 0, depth2 = 0, cx = 0, twoQ = 0;
  const counts: Record<string, number> = {};
  for (const g of c.gates) {
    counts[g.name] = (counts[g.name] ?? 0) + 1;
    if (g.qubits.length === 2) {
      const [a, b] = g.qubits;
      const d = Math.max(level[a], level[b]) + 1;
      level[a] = level[b] = d;
      const d2 = Math.max(level2[a], level2[b]) + 1;
      level2[a] = level2[b] = d2;
      depth = Math.max(depth, d);
      depth2 = Math.max(depth2, d2);
      twoQ++;
      if (g.name === 'cx') cx++;
    } else {
      const q = g.qubits[0];
      level[q]++;
      depth = Math.max(depth, level[q]);
    }
  }
  return { gates: c.gates.length, depth, twoQubitDepth: depth2, cxCount: cx, twoQubitCount: twoQ, counts };
}
