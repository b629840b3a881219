// Gate sequences for the exponentials product formulas and ansätze are made of.
import type { PauliFactor } from '../../model/pauli';
import { type Gate, gate } from './gates';

/**
 * exp(i(a XX + b YY + c ZZ)) on (q0, q1) with exactly 3 CX, equal up to a global phase
 * (the sequence of the AQC-Tensor paper; verified against the matrix exponential in tests).
 */
export function weylBlock(q0: number, q1: number, a: number, b: number, c: number): Gate[] {
  return [
    gate('sdg', [q1]),
    gate('cx', [q1, q0]),
    gate('rz', [q0], [Math.PI / 2 - 2 * c]),
    gate('ry', [q1], [2 * a - Math.PI / 2]),
    gate('cx', [q0, q1]),
    gate('ry', [q1], [Math.PI / 2 - 2 * b]),
    gate('cx', [q1, q0]),
    gate('s', [q0]),
  ];
}

/** The global phase φ with exp(i(aXX+bYY+cZZ)) = e^{iφ}·weylBlock(…) (checked in tests). */
export const WEYL_BLOCK_PHASE = Math.PI / 4;

/**
 * exp(-iθ/2 · P) for a Pauli string P: basis changes to Z, a CX ladder collecting the parity on the
 * last qubit, rz(θ) there, and the ladder undone.
 */
export function pauliRotation(factors: readonly PauliFactor[], theta: number): Gate[] {
  if (factors.length === 0) return [];
  if (factors.length === 1) {
    const f = factors[0];
    return [gate(f.pauli === 'X' ? 'rx' : f.pauli === 'Y' ? 'ry' : 'rz', [f.qubit], [theta])];
  }
  const pre: Gate[] = [];
  const post: Gate[] = [];
  for (const f of factors) {
    if (f.pauli === 'X') {
      pre.push(gate('h', [f.qubit]));
      post.push(gate('h', [f.qubit]));
    } else if (f.pauli === 'Y') {
      // S† then H maps Y to Z; undo with H then S.
      pre.push(gate('sdg', [f.qubit]), gate('h', [f.qubit]));
      post.push(gate('h', [f.qubit]), gate('s', [f.qubit]));
    }
  }
  const ladder: Gate[] = [];
  for (let k = 0; k + 1 < factors.length; k++) ladder.push(gate('cx', [factors[k].qubit, factors[k + 1].qubit]));
  const last = factors[factors.length - 1].qubit;
  return [...pre, ...ladder, gate('rz', [last], [theta]), ...[...ladder].reverse(), ...post];
}
