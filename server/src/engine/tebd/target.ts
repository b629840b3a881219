// The target state exp(−iHt)|ψ0⟩ as an MPS, with an estimate of its own time-step error.
//
// Error estimate. For a second-order product formula the state error is e_s ≈ C/s² (s steps),
// so two runs with s and 2s steps differ by
//   Δ = 1 − |⟨ψ_s|ψ_2s⟩|² ≈ |e_s − e_2s|² = (3/4)²·|e_s|² ,
// i.e. Δ ≈ (9/16)·ε_s and, since ε_2s = ε_s/16, Δ ≈ 9·ε_2s (ε = infidelity with the exact state).
// We always return the finer state ψ_2s and report
//   timestepError        = Δ            (conservative: ~9× the asymptotic error of ψ_2s)
//   timestepErrorRefined = Δ/9          (Richardson estimate of ε_2s; valid once Δ falls ~16× per doubling)
// For a comparison of N steps with m steps in general, refined = Δ/((N/m)² − 1)².
//
// steps: 'auto' starts at s0 = ⌈t·max_i ‖h_i‖₁ / 0.5⌉ and doubles until Δ < tolerance, within a
// cap on steps and on wall time; it stops early (honestly reported) when Δ stops shrinking
// because truncation, not the time step, dominates it. steps: N runs N steps and compares with
// ⌊N/2⌋ steps (2 steps when N = 1): 1.5× the cost of the run itself; `estimate: false` skips it.
// When 'auto' hits maxSteps before any comparison, the last run is compared with half its steps.
import type { PauliSum } from '../../model/pauli';
import type { ProductState } from '../../model/program';
import { type Mps, type SplitProfile, productMps, stateFidelity } from '../mps';
import { chainHamiltonian } from './chain';
import { type TebdRun, tebdRun } from './tebd';

export interface TargetProgress {
  /** Index of the TEBD run (step doubling makes several). */
  run: number;
  /** Steps of this run, and how many are done. */
  steps: number;
  step: number;
  maxBond: number;
  discardedWeight: number;
  /** Δ of the last comparison, once there is one. */
  lastChange?: number;
  seconds: number;
}

export interface TargetOptions {
  /** Bond dimension cap. */
  bond: number;
  /** Relative discarded weight per split (default 1e-12). */
  cutoff?: number;
  steps: number | 'auto';
  /** Δ below which 'auto' stops (default 1e-6). */
  tolerance?: number;
  /** Largest step count 'auto' tries (default 4096). */
  maxSteps?: number;
  /** Wall-time budget for 'auto' (default 600 s): after the first comparison, no run starts that is predicted to end past it. */
  maxSeconds?: number;
  /** For fixed steps: compare with ⌊N/2⌋ steps (default true). */
  estimate?: boolean;
  onProgress?: (p: TargetProgress) => void;
  /** Polled between layers; true ends with CancelledError. */
  shouldStop?: () => boolean;
  profile?: SplitProfile;
}

export interface TimestepCheck {
  /** Steps of the run checked (the one returned, when it is the last check). */
  steps: number;
  /** Steps of the run it was compared with (steps/2, or 2 when steps = 1). */
  reference: number;
  /** Δ = 1 − |⟨ψ_reference|ψ_steps⟩|² (normalised). */
  change: number;
}

export type TargetStop = 'converged' | 'fixed' | 'exact' | 'maxSteps' | 'maxSeconds' | 'truncation';

export interface TargetResult {
  mps: Mps;
  steps: number;
  /** Σδ over the splits of the returned state's run: the usual estimate of its truncation infidelity. */
  discardedWeight: number;
  /** (Σ d)²: a rigorous bound on the truncation infidelity (see mps/apply.ts). */
  truncationBound: number;
  /** Largest bond dimension the returned run reached. */
  maxBond: number;
  /** Δ of the last comparison: conservative estimate of the time-step infidelity of `mps` (NaN if none made). */
  timestepError: number;
  /** Richardson estimate of the same (Δ/9 for a halving). */
  timestepErrorRefined: number;
  /** Δ < tolerance (always true for 'exact'). */
  converged: boolean;
  stopReason: TargetStop;
  checks: TimestepCheck[];
  seconds: number;
}

/** exp(−iHt)|state⟩ by TEBD for a nearest-neighbour chain; throws for other Hamiltonians. */
export function targetState(h: PauliSum, state: ProductState, t: number, o: TargetOptions): TargetResult {
  const start = performance.now();
  const chain = chainHamiltonian(h);
  if (state.labels.length !== h.qubits) throw new RangeError(`targetState: state on ${state.labels.length} qubits, Hamiltonian on ${h.qubits}`);
  const psi0 = productMps(state.labels);
  const cutoff = o.cutoff ?? 1e-12, tol = o.tolerance ?? 1e-6;
  const maxSteps = o.maxSteps ?? 4096, maxSeconds = o.maxSeconds ?? 600;
  const elapsed = () => (performance.now() - start) / 1000;
  const checks: TimestepCheck[] = [];
  let runIndex = 0;

  const run = (steps: number): TebdRun => {
    const index = runIndex++;
    const lastChange = checks.length ? checks[checks.length - 1].change : undefined;
    return tebdRun(chain, psi0, t, steps, {
      bond: o.bond, cutoff, shouldStop: o.shouldStop, profile: o.profile,
      onStep: o.onProgress && ((step, total, tally) => o.onProgress!({
        run: index, steps: total, step, maxBond: tally.maxBond, discardedWeight: tally.discardedWeight, lastChange, seconds: elapsed(),
      })),
    });
  };
  const compare = (checked: TebdRun, reference: TebdRun): TimestepCheck => {
    const c = { steps: checked.steps, reference: reference.steps, change: Math.max(0, 1 - stateFidelity(checked.mps, reference.mps)) };
    checks.push(c);
    return c;
  };
  const finish = (r: TebdRun, stopReason: TargetStop, converged: boolean): TargetResult => {
    const last = checks[checks.length - 1];
    let err = NaN, refined = NaN;
    if (stopReason === 'exact') err = refined = 0;
    else if (last) {
      // e_N ∝ 1/N²: Δ = |e_N − e_m|² = ε_N·(1 − (N/m)²)².
      refined = last.change / (1 - (last.steps / last.reference) ** 2) ** 2;
      err = Math.max(last.change, refined);
    }
    return {
      mps: r.mps, steps: r.steps,
      discardedWeight: r.tally.discardedWeight, truncationBound: Math.min(1, r.tally.distance ** 2), maxBond: r.tally.maxBond,
      timestepError: err, timestepErrorRefined: refined, converged, stopReason, checks, seconds: elapsed(),
    };
  };

  if (h.qubits <= 2) return finish(run(1), 'exact', true);

  if (o.steps !== 'auto') {
    const N = o.steps;
    const main = run(N);
    if (o.estimate === false) return finish(main, 'fixed', false);
    const c = compare(main, run(N >= 2 ? Math.floor(N / 2) : 2));
    return finish(main, 'fixed', c.change < tol);
  }

  let maxNorm = 0;
  for (const x of chain.bondNorms) maxNorm = Math.max(maxNorm, x);
  let s = Math.min(maxSteps, Math.max(1, Math.ceil((Math.abs(t) * maxNorm) / 0.5)));
  let prev = run(s);
  for (;;) {
    if (2 * s > maxSteps) {
      // No room to double: still give an estimate for what we return, against half its steps.
      if (checks.length === 0 && s >= 2) compare(prev, run(Math.floor(s / 2)));
      return finish(prev, 'maxSteps', false);
    }
    // A run's cost is about linear in its steps: predict the next one from the last.
    if (checks.length > 0 && elapsed() + 2 * prev.seconds > maxSeconds) return finish(prev, 'maxSeconds', false);
    const next = run(2 * s);
    const c = compare(next, prev);
    if (c.change < tol) return finish(next, 'converged', true);
    const before = checks.length >= 2 ? checks[checks.length - 2].change : Infinity;
    const truncation = next.tally.discardedWeight + prev.tally.discardedWeight;
    // In the dt² regime Δ falls ~16× per doubling; if it stalls and truncation is as large, more steps cannot help.
    if (c.change > before / 4 && truncation > c.change / 10) return finish(next, 'truncation', false);
    prev = next;
    s *= 2;
  }
}

