// The target state of an evolve block as an MPS, with its own error estimate: TEBD for
// nearest-neighbour chains, the product formula on the MPS (with step doubling) otherwise.
import type { EvolveBlock } from '../../model/program';
import { firstNonChainTerm } from '../../model/pauli';
import type { Mps } from '../mps';
import { stateFidelity } from '../mps';
import { productFormulaMps, targetState } from '../tebd';
import { CancelledError, type CompileControl } from './types';

export interface Target {
  mps: Mps;
  /** Estimated infidelity with the exact state: time-step error plus truncation. */
  error: number;
  steps: number;
  maxBond: number;
  seconds: number;
}

export const TARGET_TOLERANCE = 1e-6;

export function computeTarget(b: EvolveBlock, control: CompileControl = {}): Target {
  const h = b.hamiltonian.sum;
  const o = b.options;
  const shouldStop = control.shouldStop;
  if (!firstNonChainTerm(h)) {
    const r = targetState(h, b.state, b.time, {
      bond: o.bond, steps: o.targetSteps, tolerance: TARGET_TOLERANCE, shouldStop,
      onProgress: (p) => control.onProgress?.({ phase: 'target', message: `target: TEBD ${p.steps} steps`, steps: p.steps, step: p.step }),
    });
    const dt = Number.isFinite(r.timestepError) ? r.timestepError : 0;
    return { mps: r.mps, error: dt + r.discardedWeight, steps: r.steps, maxBond: r.maxBond, seconds: r.seconds };
  }
  // Longer Pauli strings: the second-order product formula on the MPS, doubling the steps until
  // halving dt changes the state by less than the tolerance.
  const start = performance.now();
  const run = (steps: number) => {
    if (shouldStop?.()) throw new CancelledError();
    control.onProgress?.({ phase: 'target', message: `target: product formula ${steps} steps`, steps, step: 0 });
    return productFormulaMps(h, b.state, b.time, steps, 2, { bond: o.bond });
  };
  let steps = o.targetSteps === 'auto' ? Math.max(8, 2 * (typeof o.layers === 'number' ? o.layers : 4)) : o.targetSteps;
  let prev = run(o.targetSteps === 'auto' ? steps : Math.max(1, Math.floor(steps / 2)));
  let cur = o.targetSteps === 'auto' ? run((steps *= 2)) : run(steps);
  let change = 1 - stateFidelity(prev.mps, cur.mps);
  while (o.targetSteps === 'auto' && change >= TARGET_TOLERANCE && steps < 4096 && (performance.now() - start) < 300_000) {
    prev = cur;
    cur = run((steps *= 2));
    change = 1 - stateFidelity(prev.mps, cur.mps);
  }
  return { mps: cur.mps, error: change + cur.discardedWeight, steps, maxBond: cur.maxBond, seconds: (performance.now() - start) / 1000 };
}
