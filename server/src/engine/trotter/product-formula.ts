// Product formulas: a Pauli sum split into exponential factors, ordered in qubit-disjoint layers,
// repeated as first- or second-order (symmetric, merged) Trotter steps.
import type { PauliFactor, PauliSum, PauliTerm } from '../../model/pauli';

/** One exponential exp(-i·s·dt·h) of a step, s the fraction of dt it gets. */
export type Factor =
  /** exp(-i·dt·(xx·XX + yy·YY + zz·ZZ)) on a qubit pair (q0 < q1). */
  | { kind: 'pair'; q0: number; q1: number; xx: number; yy: number; zz: number }
  /** exp(-i·dt·c·P) for one Pauli string. */
  | { kind: 'pauli'; factors: readonly PauliFactor[]; coeff: number };

export interface TimedFactor {
  factor: Factor;
  /** Multiple of dt this exponential is applied for (1, or 1/2 at the ends of a second-order step). */
  weight: number;
}

/**
 * Splits H into factors and orders them: two-qubit pair blocks in qubit-disjoint layers (a chain's
 * even bonds, then odd bonds), then other strings, then one-qubit terms. Identity terms (global
 * phase only) are dropped.
 */
export function stepFactors(h: PauliSum): Factor[] {
  const pairs = new Map<string, { kind: 'pair'; q0: number; q1: number; xx: number; yy: number; zz: number }>();
  const others: PauliTerm[] = [];
  const singles: PauliTerm[] = [];
  for (const t of h.terms) {
    const f = t.factors;
    if (f.length === 0) continue;
    if (f.length === 1) { singles.push(t); continue; }
    if (f.length === 2 && f[0].pauli === f[1].pauli) {
      const key = `${f[0].qubit},${f[1].qubit}`;
      let p = pairs.get(key);
      if (!p) pairs.set(key, (p = { kind: 'pair', q0: f[0].qubit, q1: f[1].qubit, xx: 0, yy: 0, zz: 0 }));
      if (f[0].pauli === 'X') p.xx += t.coeff;
      else if (f[0].pauli === 'Y') p.yy += t.coeff;
      else p.zz += t.coeff;
      continue;
    }
    others.push(t);
  }
  // Qubit-disjoint layers, greedily: neighbours (i, i+1) by parity first, then the rest.
  const layers: Factor[][] = [];
  const busy: Set<number>[] = [];
  const place = (f: Factor, qubits: number[], preferred = 0) => {
    for (let l = preferred; ; l++) {
      if (!layers[l]) { layers[l] = []; busy[l] = new Set(); }
      if (qubits.every((q) => !busy[l].has(q))) {
        layers[l].push(f);
        for (const q of qubits) busy[l].add(q);
        return;
      }
    }
  };
  const sortedPairs = [...pairs.values()].sort((a, b) => (a.q1 - a.q0) - (b.q1 - b.q0) || (a.q0 % 2) - (b.q0 % 2) || a.q0 - b.q0);
  for (const p of sortedPairs) place(p, [p.q0, p.q1], p.q1 - p.q0 === 1 ? p.q0 % 2 : 0);
  const out: Factor[] = layers.flat();
  for (const t of others) out.push({ kind: 'pauli', factors: t.factors, coeff: t.coeff });
  for (const t of singles) out.push({ kind: 'pauli', factors: t.factors, coeff: t.coeff });
  return out;
}

/**
 * The exponentials of `steps` Trotter steps of order 1 or 2, in time order. Second order is
 * F1(½)…FK(½) FK(½)…F1(½) per step, with the middle pair and the halves at step boundaries merged.
 */
export function trotterSequence(factors: Factor[], steps: number, order: 1 | 2): TimedFactor[] {
  const out: TimedFactor[] = [];
  if (factors.length === 0 || steps < 1) return out;
  if (order === 1) {
    for (let s = 0; s < steps; s++) for (const f of factors) out.push({ factor: f, weight: 1 });
    return out;
  }
  const K = factors.length;
  const push = (f: Factor, w: number) => {
    const last = out[out.length - 1];
    if (last && last.factor === f) last.weight += w;
    else out.push({ factor: f, weight: w });
  };
  for (let s = 0; s < steps; s++) {
    for (let k = 0; k < K; k++) push(factors[k], 0.5);
    for (let k = K - 1; k >= 0; k--) push(factors[k], 0.5);
  }
  return out;
}
