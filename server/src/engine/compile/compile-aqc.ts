// method = aqc: optimise the Trotter-shaped ansatz against the target MPS with L-BFGS; with
// layers = auto, the shallowest ansatz that reaches the goal.
import type { EvolveBlock } from '../../model/program';
import { trotterStart, ansatzCircuit, type Ansatz } from '../aqc/ansatz';
import { evaluate } from '../aqc/objective';
import { mergeSingleQubitGates } from '../circuit/merge';
import { circuitStats } from '../circuit/stats';
import { lbfgs, type StopReason } from '../optimize/lbfgs';
import { chainHamiltonian } from '../tebd';
import type { Target } from './target';
import { fewestSteps, trotterPoint } from './trotter-search';
import { CancelledError, type CompileControl, type CompileResult } from './types';

export interface AqcRun {
  layers: number;
  ansatz: Ansatz;
  params: Float64Array;
  startFidelity: number;
  fidelity: number;
  iterations: number;
  trace: number[];
  reason: StopReason;
}

/** Optimises one ansatz of `layers` Trotter steps from its Trotter start point. */
export function optimizeLayers(b: EvolveBlock, target: Target, layers: number, control: CompileControl, maxIterations: number, giveUpWhenSlow = false): AqcRun {
  const chain = chainHamiltonian(b.hamiltonian.sum);
  const { ansatz, params } = trotterStart(chain, b.state.labels, b.time, layers, b.options.order);
  const maxBond = Math.max(b.options.bond, target.maxBond);
  const goal = b.options.fidelity;
  const trace: number[] = [];
  let startFidelity = NaN;
  let cancelled = false;
  let slow = false;
  const objective = (x: Float64Array, g: Float64Array) => {
    if (control.shouldStop?.()) { cancelled = true; throw new CancelledError(); }
    const ev = evaluate(ansatz, target.mps, x, { maxBond });
    for (let i = 0; i < g.length; i++) g[i] = -ev.gradient[i];
    if (Number.isNaN(startFidelity)) startFidelity = ev.fidelity;
    return 1 - ev.fidelity;
  };
  const onIteration = (offset: number) => (it: { iteration: number; value: number; gradientNorm: number }) => {
    const f = 1 - it.value;
    trace.push(f);
    control.onProgress?.({ phase: 'optimize', layers, iteration: offset + it.iteration, fidelity: f, gradientNorm: it.gradientNorm, maxIterations });
    // With layers = auto, a depth whose progress could not close the gap in a reasonable number of
    // iterations is abandoned for the next depth.
    const k = trace.length;
    if (giveUpWhenSlow && k >= 40 && f < goal && f - trace[k - 21] < SLOW_GAIN * (goal - f)) { slow = true; return true; }
    return control.shouldStop?.() ?? false;
  };
  const settings = { stallTolerance: 1e-7, stallWindow: 5, gradientTolerance: 1e-9 }; // gains < 1e-7 over 5 iterations: stalled
  let r = lbfgs(objective, params, { maxIterations, targetValue: 1 - goal, ...settings, onIteration: onIteration(0) });
  if (cancelled || (r.reason === 'cancelled' && !slow)) throw new CancelledError();
  let iterations = r.iterations;
  let reason: StopReason | 'stalled' = slow ? 'stalled' : r.reason;
  if (r.reason === 'target') {
    // The goal is met: a few more iterations polish the circuit while they still gain.
    const budget = Math.min(maxIterations - iterations, Math.max(POLISH_MIN, iterations));
    if (budget > 0) {
      const p = lbfgs(objective, r.x, { maxIterations: budget, ...settings, onIteration: onIteration(iterations) });
      if (cancelled || p.reason === 'cancelled') throw new CancelledError();
      if (p.value <= r.value) r = p;
      iterations += p.iterations;
      reason = 'target';
    }
  }
  return { layers, ansatz, params: r.x, startFidelity, fidelity: 1 - r.value, iterations, trace, reason };
}

/** Iterations at least spent polishing once the goal is met (more if reaching it took more). */
const POLISH_MIN = 10;
/** Fraction of the remaining gap that 20 iterations must close for a depth to stay worth optimising. */
const SLOW_GAIN = 0.05;
/** AQC typically cuts the infidelity of its Trotter start several-fold; start where that could reach the goal. */
const REACH = 20;

/**
 * layers = auto: the first depth whose Trotter start is within REACH of the goal's infidelity, then
 * deeper until the goal is met, then shallower while it still is.
 */
function autoLayers(b: EvolveBlock, target: Target, control: CompileControl, maxAuto: number, notes: string[]): AqcRun {
  const goal = b.options.fidelity;
  let k0 = 1;
  for (; k0 < maxAuto; k0++) {
    const f = trotterPoint(b, target.mps, k0, control).fidelity;
    if (1 - f <= REACH * (1 - goal)) break;
  }
  const runs = new Map<number, AqcRun>();
  const run = (k: number) => {
    let r = runs.get(k);
    if (!r) runs.set(k, (r = optimizeLayers(b, target, k, control, b.options.maxiter, true)));
    return r;
  };
  let k = k0;
  while (run(k).fidelity < goal && k < maxAuto) k++;
  if (run(k).fidelity >= goal) {
    // Shallower probes get a bounded effort: a few times what the depth that succeeded needed.
    while (k > 1) {
      const budget = Math.min(b.options.maxiter, Math.max(30, 2 * run(k).iterations));
      let r = runs.get(k - 1);
      if (!r) runs.set(k - 1, (r = optimizeLayers(b, target, k - 1, control, budget, true)));
      if (r.fidelity < goal) break;
      k--;
    }
  } else {
    notes.push(`no ansatz up to ${maxAuto} layers reached fidelity ${goal} (tried ${[...runs.keys()].sort((x, y) => x - y).map((l) => `${l}: ${runs.get(l)!.fidelity.toFixed(6)}`).join(', ')})`);
    // The best run is the answer when none reaches the goal.
    return [...runs.values()].reduce((x, y) => (y.fidelity > x.fidelity ? y : x));
  }
  return run(k);
}

export function compileAqc(b: EvolveBlock, target: Target, control: CompileControl, started: number): CompileResult {
  const o = b.options;
  const notes: string[] = [];
  const maxAuto = control.maxAutoLayers ?? 12;
  const run = o.layers === 'auto' ? autoLayers(b, target, control, maxAuto, notes) : optimizeLayers(b, target, o.layers, control, o.maxiter);
  const circuit = mergeSingleQubitGates(ansatzCircuit(run.ansatz, run.params));
  const stats = circuitStats(circuit);
  const goalReached = run.fidelity >= o.fidelity;
  if (!goalReached && o.layers !== 'auto') notes.push(`the optimiser stopped (${run.reason}) at fidelity ${run.fidelity.toFixed(6)}, below the goal ${o.fidelity}; try more layers or layers = auto`);

  // The comparison a user needs: Trotter at the same two-qubit depth, and Trotter at the same fidelity.
  control.onProgress?.({ phase: 'compare', message: 'comparing with Trotter circuits' });
  const same = trotterPoint(b, target.mps, run.layers, control);
  const search = fewestSteps(b, target.mps, run.fidelity, run.layers, 512, control);
  const trotter = {
    sameDepthFidelity: same.fidelity,
    ...(search.hit ? {
      stepsForSameFidelity: search.hit.steps,
      twoQubitDepth: search.hit.twoQubitDepth,
      depthRatio: search.hit.twoQubitDepth / stats.twoQubitDepth,
    } : {}),
  };
  if (!search.hit) notes.push(`no Trotter circuit up to ${search.best.steps} steps reached the AQC fidelity`);
  return {
    block: b.name,
    method: 'aqc',
    circuit,
    goalReached,
    notes,
    numbers: {
      fidelity: run.fidelity,
      targetError: target.error,
      depth: stats.depth,
      twoQubitDepth: stats.twoQubitDepth,
      cxCount: stats.cxCount,
      parameters: run.ansatz.parameters,
      iterations: run.iterations,
      seconds: (performance.now() - started) / 1000,
      trace: run.trace,
      trotter,
      layers: run.layers,
      startFidelity: run.startFidelity,
      stopReason: run.reason,
      targetSteps: target.steps,
      targetBond: target.maxBond,
    },
  };
}
