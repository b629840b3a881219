// Pauli sums: the Hamiltonian as the language evaluates it and the engine consumes it.
import type { Span } from './span';

export type PauliLetter = 'X' | 'Y' | 'Z';

/** One non-identity factor of a Pauli string. */
export interface PauliFactor {
  readonly qubit: number;
  readonly pauli: PauliLetter;
}

/** Where a term came from: the source range and the loop variables' values at the time. */
export interface TermOrigin {
  readonly span: Span;
  readonly bindings: ReadonlyArray<readonly [string, number]>;
}

/** coeff · P_1 ⊗ … with factors sorted by qubit; no factors = identity (a constant energy shift). */
export interface PauliTerm {
  readonly coeff: number;
  readonly factors: ReadonlyArray<PauliFactor>;
  readonly origin?: TermOrigin;
}

export interface PauliSum {
  readonly qubits: number;
  readonly terms: ReadonlyArray<PauliTerm>;
}

/** Number of qubits a term acts on non-trivially. */
export function weight(t: PauliTerm): number {
  return t.factors.length;
}

export function locality(h: PauliSum): number {
  let k = 0;
  for (const t of h.terms) k = Math.max(k, t.factors.length);
  return k;
}

/** True when every term acts on at most two qubits, and two-qubit terms on neighbours i, i+1. */
export function isNearestNeighbourChain(h: PauliSum): boolean {
  return firstNonChainTerm(h) === undefined;
}

export function firstNonChainTerm(h: PauliSum): PauliTerm | undefined {
  for (const t of h.terms) {
    if (t.factors.length > 2) return t;
    if (t.factors.length === 2 && t.factors[1].qubit - t.factors[0].qubit !== 1) return t;
  }
  return undefined;
}

/** Σ|c| over the non-identity terms: the usual bound on ‖H‖ that sets product-formula error scales. */
export function oneNorm(h: PauliSum, includeIdentity = false): number {
  let s = 0;
  for (const t of h.terms) if (includeIdentity || t.factors.length > 0) s += Math.abs(t.coeff);
  return s;
}

/** `X[0] Y[1]`, or `I` for the identity. */
export function formatPauliString(t: Pick<PauliTerm, 'factors'>): string {
  if (t.factors.length === 0) return 'I';
  return t.factors.map((f) => `${f.pauli}[${f.qubit}]`).join(' ');
}

export function formatTerm(t: PauliTerm): string {
  return `${formatNumber(t.coeff)} * ${formatPauliString(t)}`;
}

/** Short, exact-enough rendering of a real number for messages and hovers. */
export function formatNumber(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return x.toExponential(6).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(10)));
}

export interface HamiltonianSummary {
  terms: number;
  locality: number;
  nearestNeighbour: boolean;
  oneNorm: number;
  /** Σ of identity coefficients: a constant energy shift (global phase only). */
  shift: number;
  /** Counts of terms by weight: [identity, 1-qubit, 2-qubit, …]. */
  byWeight: number[];
}

export function summarize(h: PauliSum): HamiltonianSummary {
  const byWeight: number[] = [];
  let shift = 0;
  for (const t of h.terms) {
    byWeight[t.factors.length] = (byWeight[t.factors.length] ?? 0) + 1;
    if (t.factors.length === 0) shift += t.coeff;
  }
  for (let i = 0; i < byWeight.length; i++) byWeight[i] ??= 0;
  return { terms: h.terms.length, locality: locality(h), nearestNeighbour: isNearestNeighbourChain(h), oneNorm: oneNorm(h), shift, byWeight };
}
