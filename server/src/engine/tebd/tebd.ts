// Second-order TEBD with a fixed number of steps:
//   (e^{−iH_e dt/2} e^{−iH_o dt} e^{−iH_e dt/2})^steps = E(½) O E O E … O E(½)
// with the half steps between consecutive steps merged into full ones. Even-bond layers sweep
// left to right and odd-bond layers right to left, so the centre walks with the gates and each
// gate costs one QR step, one two-site contraction and one SVD split.
import type { Mat4 } from '../circuit/gates';
import {
  type Mps, type SplitProfile, type TruncationTally,
  applyBond, applyOneQubit, cloneMps, newTally, scaleMps,
} from '../mps';
import { type ChainHamiltonian, expmHermitian } from './chain';

/** Thrown when `shouldStop` asks a run to end. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor() { super('cancelled'); }
}

export interface TebdRunOptions {
  /** Bond dimension cap. */
  bond: number;
  /** Relative discarded weight allowed per split. */
  cutoff: number;
  /** Called after every completed step. */
  onStep?: (step: number, steps: number, tally: TruncationTally) => void;
  /** Polled after every layer; true ends the run with CancelledError. */
  shouldStop?: () => boolean;
  profile?: SplitProfile;
}

export interface TebdRun {
  mps: Mps;
  steps: number;
  tally: TruncationTally;
  seconds: number;
}

/** e^{−iHt}|initial⟩ by `steps` second-order steps; `initial` is not modified. */
export function tebdRun(chain: ChainHamiltonian, initial: Mps, t: number, steps: number, o: TebdRunOptions): TebdRun {
  if (!(Number.isInteger(steps) && steps >= 1)) throw new RangeError(`TEBD: steps must be a positive integer (got ${steps})`);
  if (initial.n !== chain.n) throw new RangeError(`TEBD: state on ${initial.n} qubits, Hamiltonian on ${chain.n}`);
  const start = performance.now();
  const mps = cloneMps(initial);
  const tally = newTally();
  const split = { maxBond: o.bond, cutoff: o.cutoff, tally, profile: o.profile };
  const n = chain.n;
  const stop = () => { if (o.shouldStop?.()) throw new CancelledError(); };

  if (chain.single) {
    applyOneQubit(mps, 0, expmHermitian(chain.single, 2, t));
  } else if (n === 2) {
    // One bond: every factor is a function of the same h_0, so the product is exact in one gate.
    applyBond(mps, 0, expmHermitian(chain.bonds[0], 4, t), split);
  } else {
    const dt = t / steps;
    const even: number[] = [], odd: number[] = [];
    for (let i = 0; i + 1 < n; i++) (i % 2 === 0 ? even : odd).push(i);
    const gates = (bonds: number[], tau: number): Array<[number, Mat4]> => bonds.map((i) => [i, expmHermitian(chain.bonds[i], 4, tau)]);
    const evenHalf = gates(even, dt / 2), evenFull = gates(even, dt), oddDown = gates(odd.reverse(), dt);
    const layer = (g: Array<[number, Mat4]>) => { for (const [i, u] of g) applyBond(mps, i, u, split); stop(); };
    layer(evenHalf);
    for (let s = 1; s <= steps; s++) {
      layer(oddDown);
      layer(s < steps ? evenFull : evenHalf);
      o.onStep?.(s, steps, tally);
    }
  }
  if (n <= 2) o.onStep?.(steps, steps, tally);
  if (chain.shift !== 0) scaleMps(mps, Math.cos(chain.shift * t), -Math.sin(chain.shift * t));
  return { mps, steps, tally, seconds: (performance.now() - start) / 1000 };
}
