// Trotter circuits: state preparation, then the product formula's exponentials as gates.
import type { PauliSum } from '../../model/pauli';
import { firstNonChainTerm } from '../../model/pauli';
import type { Mat2 } from '../circuit/gates';
import { toU } from '../circuit/merge';
import { kak } from '../kak';
import { chainHamiltonian, expmHermitian } from '../tebd/chain';
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

/**
 * The plain product-formula circuit V with V|0…0⟩ ≈ exp(-iHt)|state⟩. Nearest-neighbour chains use
 * brick layers of bond unitaries exp(−iτh_i) with the one-qubit terms folded in (as TEBD does),
 * each as 3 CX by its KAK decomposition; other Hamiltonians one exponential per Pauli string.
 */
export function trotterCircuit(h: PauliSum, state: ProductState, t: number, o: TrotterOptions): Circuit {
  if (!firstNonChainTerm(h)) return chainTrotterCircuit(h, state, t, o);
  return stringTrotterCircuit(h, state, t, o);
}

/** Brick layers of k steps: bond parities and the multiple of dt each layer evolves for. */
export function brickSchedule(n: number, steps: number, order: 1 | 2): Array<{ parity: 0 | 1; weight: number }> {
  const parities: Array<0 | 1> = n >= 3 ? [0, 1] : n === 2 ? [0] : [];
  const out: Array<{ parity: 0 | 1; weight: number }> = [];
  const push = (parity: 0 | 1, weight: number) => {
    const last = out[out.length - 1];
    if (last && last.parity === parity) last.weight += weight; // consecutive half steps merge
    else out.push({ parity, weight });
  };
  for (let s = 0; s < steps; s++) {
    if (order === 1) for (const p of parities) push(p, 1);
    else {
      for (const p of parities) push(p, 0.5);
      for (let i = parities.length - 1; i >= 0; i--) push(parities[i], 0.5);
    }
  }
  return out;
}

/** A one-qubit unitary as a U gate; returns the phase U leaves out. */
function pushU(m: Mat2, q: number, out: Gate[]): number {
  const u = toU(m);
  out.push(gate('U', [q], [u.theta, u.phi, u.lambda]));
  return u.phase;
}

function chainTrotterCircuit(h: PauliSum, state: ProductState, t: number, o: TrotterOptions): Circuit {
  const chain = chainHamiltonian(h);
  const gates: Gate[] = o.withoutPreparation ? [] : statePreparation(state);
  let phase = -chain.shift * t;
  if (chain.single) {
    phase += pushU(expmHermitian(chain.single, 2, t), 0, gates);
    return { qubits: h.qubits, gates, globalPhase: phase };
  }
  const dt = t / o.steps;
  for (const { parity, weight } of brickSchedule(h.qubits, o.steps, o.order)) {
    for (let q = parity; q + 1 < h.qubits; q += 2) {
      // exp(−iτh) = e^{iφ}·(A0⊗A1)·exp(i(aXX+bYY+cZZ))·(B0⊗B1)
      const d = kak(expmHermitian(chain.bonds[q], 4, weight * dt));
      phase += d.phase + WEYL_BLOCK_PHASE;
      phase += pushU(d.before[0], q, gates) + pushU(d.before[1], q + 1, gates);
      gates.push(...weylBlock(q, q + 1, d.a, d.b, d.c));
      phase += pushU(d.after[0], q, gates) + pushU(d.after[1], q + 1, gates);
    }
  }
  return { qubits: h.qubits, gates, globalPhase: phase };
}

function stringTrotterCircuit(h: PauliSum, state: ProductState, t: number, o: TrotterOptions): Circuit {
  const gates: Gate[] = o.withoutPreparation ? [] : statePreparation(state);
  const dt = t / o.steps;
  let phase = 0;
  for (const { factor, weight } of trotterSequence(stepFactors(h), o.steps, o.order)) phase += factorGates(factor, weight * dt, gates);
  // Identity terms contribute exp(-i·c·t), a global phase.
  for (const term of h.terms) if (term.factors.length === 0) phase -= term.coeff * t;
  return { qubits: h.qubits, gates, globalPhase: phase };
}
