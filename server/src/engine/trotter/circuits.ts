// Trotter circuits: state preparation, then the product formula's exponentials as gates.
import type { PauliSum } from '../../model/pauli';
import type { ProductState } from '../../model/program';
import { pauliRotation, weylBlock, WEYL_BLOCK_PHASE } from '../circuit/blocks';
import { type Circuit, type Gate, gate } from '../circuit/gates';
import { type Factor, stepFactors, trotterSequence } from './product-formula';

/** Gates preparing a product state from |0…0⟩: X for '1', H for '+'. */
export function statePreparation(s: ProductState): Gate[] {
  const gates: Gate[] = [];
  for (let q = 0; q < s.labels.length; q++) {
    if (s.labels[q] === '1') gates.push(gate('x', [q]));
    else if (s.labels[q] === '+') gates.push(gate('h', [q]));
  }
  return gates;
}

/** Gates for exp(-i·τ·h_factor); returns the global phase they leave out. */
export function factorGates(f: Factor, tau: number, out: Gate[]): number {
  if (f.kind === 'pair') {
    // exp(-iτ(xx XX + yy YY + zz ZZ)) = exp(i(a XX + b YY + c ZZ)) with a = -τ·xx, …
    out.push(...weylBlock(f.q0, f.q1, -tau * f.xx, -tau * f.yy, -tau * f.zz));
    return WEYL_BLOCK_PHASE;
  }
  out.push(...pauliRotation(f.factors, 2 * tau * f.coeff));
  return 0;
}

export interface TrotterOptions {
  steps: number;
  order: 1 | 2;
  /** Leave out the state preparation (for the evolution alone). */
  withoutPreparation?: boolean;
}

/** The plain product-formula circuit V with V|0…0⟩ ≈ exp(-iHt)|state⟩. */
export function trotterCircuit(h: PauliSum, state: ProductState, t: number, o: TrotterOptions): Circuit {
  const gates: Gate[] = o.withoutPreparation ? [] : statePreparation(state);
  const dt = t / o.steps;
  let phase = 0;
  for (const { factor, weight } of trotterSequence(stepFactors(h), o.steps, o.order)) phase += factorGates(factor, weight * dt, gates);
  // Identity terms contribute exp(-i·c·t), a global phase.
  for (const term of h.terms) if (term.factors.length === 0) phase -= term.coeff * t;
  return { qubits: h.qubits, gates, globalPhase: phase };
}
