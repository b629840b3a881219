// Plain Trotter circuits measured against the target: the fidelity of k steps, and the fewest steps
// that reach a given fidelity (doubling, then bisection; fidelity grows with steps in practice).
import type { EvolveBlock } from '../../model/program';
import type { Circuit } from '../circuit/gates';
import { mergeSingleQubitGates } from '../circuit/merge';
import { circuitStats } from '../circuit/stats';
import { type Mps, circuitFidelity } from '../mps';
import { trotterCircuit } from '../trotter/circuits';
import { CancelledError, type CompileControl } from './types';

export interface TrotterPoint {
  steps: number;
  fidelity: number;
  twoQubitDepth: number;
  circuit: Circuit;
}

export function trotterPoint(b: EvolveBlock, target: Mps, steps: number, control: CompileControl = {}): TrotterPoint {
  if (control.shouldStop?.()) throw new CancelledError();
  const order = b.options.order;
  const circuit = mergeSingleQubitGates(trotterCircuit(b.hamiltonian.sum, b.state, b.time, { steps, order }));
  const { fidelity } = circuitFidelity(circuit, target, { maxBond: Math.max(b.options.bond, 2 * target.sites.reduce((m, s) => Math.max(m, s.right), 1)), cutoff: 1e-14 });
  control.onProgress?.({ phase: 'trotter', message: `Trotter ${steps} steps: F = ${fidelity.toFixed(6)}`, steps, fidelity });
  return { steps, fidelity, twoQubitDepth: circuitStats(circuit).twoQubitDepth, circuit };
}

export interface StepSearch {
  /** The fewest steps found reaching the goal, or undefined within the limit. */
  hit?: TrotterPoint;
  /** The best point seen (for reporting when nothing reaches the goal). */
  best: TrotterPoint;
  evaluated: number;
}

/** Fewest steps ≥ `from` with fidelity ≥ goal, searching up to `maxSteps` (and `maxSeconds`). */
export function fewestSteps(b: EvolveBlock, target: Mps, goal: number, from: number, maxSteps: number, control: CompileControl = {}, maxSeconds = 120): StepSearch {
  const start = performance.now();
  const cache = new Map<number, TrotterPoint>();
  const at = (s: number) => {
    let p = cache.get(s);
    if (!p) cache.set(s, (p = trotterPoint(b, target, s, control)));
    return p;
  };
  let lo = Math.max(1, from);
  let p = at(lo);
  let best = p;
  if (p.fidelity >= goal) return { hit: p, best, evaluated: cache.size };
  let hi = lo;
  for (;;) {
    if (hi >= maxSteps || (performance.now() - start) / 1000 > maxSeconds) return { best, evaluated: cache.size };
    lo = hi;
    hi = Math.min(maxSteps, hi * 2);
    p = at(hi);
    if (p.fidelity > best.fidelity) best = p;
    if (p.fidelity >= goal) break;
  }
  // Invariant: F(lo) < goal ≤ F(hi).
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (at(mid).fidelity >= goal) hi = mid;
    else lo = mid;
  }
  return { hit: at(hi), best: at(hi), evaluated: cache.size };
}
