// method = trotter: the plain product-formula circuit, measured against the target.
import type { EvolveBlock } from '../../model/program';
import { circuitStats } from '../circuit/stats';
import type { Target } from './target';
import { fewestSteps, trotterPoint } from './trotter-search';
import type { CompileControl, CompileResult } from './types';

export function compileTrotter(b: EvolveBlock, target: Target, control: CompileControl, started: number): CompileResult {
  const o = b.options;
  const notes: string[] = [];
  let point;
  if (o.layers === 'auto') {
    const search = fewestSteps(b, target.mps, o.fidelity, 1, 1024, control);
    point = search.hit ?? search.best;
    if (!search.hit) notes.push(`no Trotter circuit up to ${search.best.steps} steps reached fidelity ${o.fidelity}`);
  } else {
    point = trotterPoint(b, target.mps, o.layers, control);
  }
  const stats = circuitStats(point.circuit);
  const goalReached = point.fidelity >= o.fidelity;
  if (!goalReached && o.layers !== 'auto') notes.push(`${o.layers} steps reach fidelity ${point.fidelity.toFixed(6)}, below the goal ${o.fidelity}; raise layers or use layers = auto`);
  return {
    block: b.name,
    method: 'trotter',
    circuit: point.circuit,
    goalReached,
    notes,
    numbers: {
      fidelity: point.fidelity,
      targetError: target.error,
      depth: stats.depth,
      twoQubitDepth: stats.twoQubitDepth,
      cxCount: stats.cxCount,
      seconds: (performance.now() - started) / 1000,
      layers: point.steps,
      targetSteps: target.steps,
      targetBond: target.maxBond,
    },
  };
}
