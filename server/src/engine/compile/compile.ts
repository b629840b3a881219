// Compiling one evolve block: the target state, then the method's circuit and its numbers.
import type { EvolveBlock } from '../../model/program';
import { firstNonChainTerm } from '../../model/pauli';
import { compileAqc } from './compile-aqc';
import { compileTrotter } from './compile-trotter';
import { type Target, computeTarget } from './target';
import type { CompileControl, CompileResult } from './types';

/**
 * Targets of the blocks compiled so far, by their inputs: blocks that evolve the same state under
 * the same Hamiltonian for the same time (e.g. an aqc block and its trotter baseline) share one.
 */
export class TargetCache {
  private readonly map = new Map<string, Target>();
  get(b: EvolveBlock, make: () => Target): Target {
    const key = targetKey(b);
    let t = this.map.get(key);
    if (!t) this.map.set(key, (t = make()));
    return t;
  }
}

export function targetKey(b: EvolveBlock): string {
  const h = b.hamiltonian.sum.terms.map((t) => `${t.coeff}:${t.factors.map((f) => f.pauli + f.qubit).join('')}`).join(',');
  return JSON.stringify([b.hamiltonian.sum.qubits, h, b.state.labels, b.time, b.options.bond, b.options.targetSteps, firstNonChainTerm(b.hamiltonian.sum) && typeof b.options.layers === 'number' ? b.options.layers : 0]);
}

export function compileBlock(b: EvolveBlock, control: CompileControl = {}, targets?: TargetCache): CompileResult {
  const started = performance.now();
  const target = targets ? targets.get(b, () => computeTarget(b, control)) : computeTarget(b, control);
  return b.options.method === 'aqc' ? compileAqc(b, target, control, started) : compileTrotter(b, target, control, started);
}
